// The insert of files the byte-level validator proved clean (record-validator.ts): every field only
// cast to its column's type, no per-row checks. The casts are TRY_CASTs with the parsed fields
// required non-NULL, so a row the validator should not have passed is left out rather than failing
// the statement (which would abort the batch's transaction); the caller compares the count with the
// file's records and sends a file that came up short through the checked path instead.
import type { FeedSpec, FieldSpec } from '../../feeds/contract.ts';
import { sqlIdentifier as ident } from '../sql-text.ts';
import { parseExpression } from './compile-feed-sql.ts';

export interface ProvenInsert {
  table: string;
  /** A read_csv call (see read-csv-sql.ts), aliased `raw` here. */
  source: string;
  /** SQL for the file id of a row of `raw` (a constant for one file). */
  fileId: string;
}

/** What a required field of these kinds is read as, instead of text and a cast after. */
const readTypes: Partial<Record<FieldSpec['type']['kind'], string>> = {
  int: 'BIGINT',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

/**
 * The columns a proven file's reader may convert itself (give them to readCsvSql): its required
 * numbers, dates and times. A time read as text is a 23-byte string DuckDB allocates and then casts
 * (about a tenth of the insert's CPU on a signalling file); read typed, it never exists as text. The
 * reader converts as the cast does, and a value it cannot convert skips its record, so the file
 * comes up short exactly where the filter below would have left the row out. The casts below stay
 * (on a typed column they are no-ops), so a source read all as text is still inserted right. An
 * optional field stays text: its empty value is compared with ''.
 */
export function provenReadTypes(spec: FeedSpec): Record<string, string> {
  const types: Record<string, string> = {};
  for (const field of spec.fields) {
    const type = readTypes[field.type.kind];
    if (type && field.optional !== true) types[field.name] = type;
  }
  return types;
}

export function provenInsertSql(spec: FeedSpec, { table, source, fileId }: ProvenInsert): string {
  const typed: string[] = [];
  const mustParse: string[] = [];
  for (const field of spec.fields) {
    const column = ident(field.name);
    const text = field.optional ? `nullif(raw.${column}, '')` : `raw.${column}`;
    const parsed = parseExpression(field, text);
    if (field.type.kind === 'flag') typed.push(`(raw.${column} = '1') AS ${column}`);
    else typed.push(`${parsed ?? text} AS ${column}`);
    if (parsed === undefined) continue;
    if (field.optional) {
      // An empty optional field is NULL both ways; anything else must parse.
      const rawColumn = ident(`${field.name}__raw`);
      typed.push(`${text} AS ${rawColumn}`);
      mustParse.push(`(typed.${column} IS NOT NULL OR typed.${rawColumn} IS NULL)`);
    } else mustParse.push(`typed.${column} IS NOT NULL`);
  }
  const columns = [...spec.fields.map((f) => ident(f.name)), 'file_id'];
  return `INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${columns.map((c) => `typed.${c}`).join(', ')}
     FROM (SELECT ${typed.join(', ')}, ${fileId} AS file_id FROM ${source} raw) typed
     ${mustParse.length > 0 ? `WHERE ${mustParse.join(' AND ')}` : ''}`;
}

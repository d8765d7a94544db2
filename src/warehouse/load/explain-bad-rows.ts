// The slow path of a load, taken only when the fast path left rows behind: find the bad rows with
// the very same compiled checks, and keep each with its line, field, reason and raw text in a
// scratch table for the load transaction to quarantine.
// First try: DuckDB reads the file again in order and names the bad records by position, and a byte
// scan finds their lines and raw text. That holds when DuckDB skipped no record as unparseable (the
// counts agree); otherwise our own reader parses every record with its line number (slower), and its
// reading replaces the fast path's rows of the file: DuckDB drops every record after a stray quote and
// every row holding a byte that is not UTF-8, where our reader sets aside only the line at fault.
import { createReadStream } from 'node:fs';
import { BIGINT, BOOLEAN, DuckDBDataChunk, type DuckDBValue, VARCHAR } from '@duckdb/node-api';
import { createGunzip } from 'node:zlib';
import type { Warehouse } from '../warehouse.ts';
import { sqlIdentifier as ident } from '../sql-text.ts';
import type { CompiledFeed, PeriodSql } from './compile-feed-sql.ts';
import { readCsvRecords } from './csv-records.ts';
import { readCsvSql } from './read-csv-sql.ts';
import { scanRecords } from './record-scanner.ts';

/** DuckDB's vector size: one data chunk. */
const CHUNK_ROWS = 2048;

export interface BadRowCount {
  records: number;
  bad: number;
  /** Set when this pass read the file itself and loaded its good rows again: how many. */
  loaded?: number;
}

export interface ExplainOptions {
  path: string;
  gzip: boolean;
  columns: string[];
  compiled: CompiledFeed;
  /** The file's id in the feed table, whose rows a reading of our own replaces. */
  fileId: number;
  /** Lines holding bytes that are not UTF-8 (from the first pass); their records are quarantined. */
  invalidUtf8Lines: readonly number[];
  /** The file's period, for the same checks as the fast path. */
  period: PeriodSql | undefined;
}

export async function explainBadRows(warehouse: Warehouse, options: ExplainOptions): Promise<BadRowCount> {
  // The first try appends nothing unless it succeeds, so the fallback starts on an empty stage too.
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE quarantine_stage (line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)`,
  );
  // DuckDB skips a row that is not UTF-8 in one read and keeps it in another (a multi-file read
  // counts it): only our own reading is sure to agree with the line numbers of the first pass.
  const byPosition = options.invalidUtf8Lines.length === 0 ? await explainByPosition(warehouse, options) : undefined;
  return byPosition ?? (await explainByReading(warehouse, options));
}

async function explainByPosition(warehouse: Warehouse, options: ExplainOptions): Promise<BadRowCount | undefined> {
  const { columns, compiled } = options;
  // Insertion order is kept, so a row's position in this table is its position among the records.
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE record_stage AS SELECT * FROM ${readCsvSql([options.path], columns)}`,
  );
  const staged = await warehouse.scalar('SELECT count(*) FROM temp.main.record_stage');
  const bad = await warehouse.all<{ position: number; field: string; reason: string }>(
    `SELECT src.__position AS position, ${compiled.failedField} AS field, ${compiled.failureReason} AS reason
     FROM ${compiled.relation('(SELECT *, rowid - (SELECT min(rowid) FROM temp.main.record_stage) AS __position FROM temp.main.record_stage)', { passThrough: ['__position'], ...context(options) })}
     WHERE ${compiled.failedField} IS NOT NULL ORDER BY position`,
  );
  await warehouse.run('DROP TABLE temp.main.record_stage');
  let input: NodeJS.ReadableStream = createReadStream(options.path);
  if (options.gzip) input = input.pipe(createGunzip());
  const scan = await scanRecords(
    input as AsyncIterable<Buffer>,
    bad.map((b) => b.position),
  );
  if (scan.records !== staged || scan.found.length !== bad.length) return undefined;
  const appender = await warehouse.raw.createAppender('quarantine_stage', 'main', 'temp');
  try {
    bad.forEach((b, i) => {
      appender.appendBigInt(BigInt(scan.found[i]!.line));
      appender.appendVarchar(b.field);
      appender.appendVarchar(b.reason);
      appender.appendVarchar(scan.found[i]!.raw);
      appender.endRow();
    });
  } finally {
    appender.closeSync();
  }
  return { records: staged, bad: bad.length };
}

async function explainByReading(warehouse: Warehouse, options: ExplainOptions): Promise<BadRowCount> {
  const { columns, compiled } = options;
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE record_stage (line BIGINT, raw VARCHAR, multiline BOOLEAN, ${columns.map((c) => `${ident(c)} VARCHAR`).join(', ')})`,
  );
  const staged = '(SELECT *, rowid AS __record, line AS __line, multiline AS __multiline FROM temp.main.record_stage)';
  const checked = `SELECT src.__record, src.__line, src.__multiline, ${compiled.failedField} AS field, ${compiled.failureReason} AS reason
    FROM ${compiled.relation(staged, { passThrough: ['__record', '__line', '__multiline'], ...context(options) })}`;
  // A quoted field across lines whose record then fails the contract was a stray quote after all:
  // cut it at its first line and read on from there, until no such record is left.
  const splitLines = new Set<number>();
  let fromLine = 1;
  let records: number;
  for (;;) {
    const pass = await stageRecords(warehouse, options, splitLines, fromLine);
    records = pass.records;
    if (pass.multiline === 0) break;
    const first = await warehouse.one<{ line: number | null }>(
      `SELECT min(__line) AS line FROM (${checked}) WHERE field IS NOT NULL AND __multiline`,
    );
    if (first?.line === null || first?.line === undefined) break;
    splitLines.add(first.line);
    fromLine = first.line;
    await warehouse.run('DELETE FROM temp.main.record_stage WHERE line >= ?', [fromLine]);
    await warehouse.run('DELETE FROM temp.main.quarantine_stage WHERE line >= ?', [fromLine]);
  }
  await warehouse.run(
    `INSERT INTO temp.main.quarantine_stage (line, field, reason, raw)
     SELECT s.line, c.field, c.reason, s.raw
     FROM (${checked}) c JOIN temp.main.record_stage s ON s.rowid = c.__record
     WHERE c.field IS NOT NULL`,
  );
  const table = compiled.table;
  const columnList = [...compiled.spec.fields.map((f) => ident(f.name)), 'file_id'].join(', ');
  await warehouse.run(`DELETE FROM ${table} WHERE file_id = ?`, [options.fileId]);
  await warehouse.run(
    `INSERT INTO ${table} (${columnList})
     SELECT ${compiled.typedSelect.replace('$file_id', String(options.fileId))}
     FROM ${compiled.relation(staged, { passThrough: ['__record'], ...context(options) })}
     WHERE ${compiled.okPredicate}`,
  );
  await warehouse.run('DROP TABLE temp.main.record_stage');
  const bad = await warehouse.scalar('SELECT count(*) FROM temp.main.quarantine_stage');
  const loaded = await warehouse.scalar(`SELECT count(*) FROM ${table} WHERE file_id = ?`, [options.fileId]);
  return { records, bad, loaded };
}

/**
 * Reads the whole file with line numbers and stages the records from `fromLine` on: whole records in
 * record_stage for the compiled checks, and in quarantine_stage straight away the lines no check
 * needs to see (a stray quote, bytes that are not UTF-8, a wrong number of fields).
 */
async function stageRecords(
  warehouse: Warehouse,
  options: ExplainOptions,
  splitLines: ReadonlySet<number>,
  fromLine: number,
): Promise<{ records: number; multiline: number }> {
  const { columns } = options;
  const invalid = new Set(options.invalidUtf8Lines);
  const stage = await warehouse.raw.createAppender('record_stage', 'main', 'temp');
  const shapeErrors = await warehouse.raw.createAppender('quarantine_stage', 'main', 'temp');
  const setAside = (line: number, field: string | null, reason: string, raw: string) => {
    shapeErrors.appendBigInt(BigInt(line));
    if (field === null) shapeErrors.appendNull();
    else shapeErrors.appendVarchar(field);
    shapeErrors.appendVarchar(reason);
    shapeErrors.appendVarchar(raw);
    shapeErrors.endRow();
  };
  // Rows go in as column chunks: per-value appends cost several times more.
  const types = [BIGINT, VARCHAR, BOOLEAN, ...columns.map(() => VARCHAR)];
  let chunkColumns: DuckDBValue[][] = types.map(() => []);
  let chunkRows = 0;
  const flush = () => {
    if (chunkRows === 0) return;
    const chunk = DuckDBDataChunk.create(types, chunkRows);
    chunk.setColumns(chunkColumns);
    stage.appendDataChunk(chunk);
    chunkColumns = types.map(() => []);
    chunkRows = 0;
  };
  let records = 0;
  let multiline = 0;
  let input: NodeJS.ReadableStream = createReadStream(options.path);
  if (options.gzip) input = input.pipe(createGunzip());
  input.setEncoding('utf8');
  let isHeader = true;
  try {
    for await (const record of readCsvRecords(input as AsyncIterable<string>, {
      columns: columns.length,
      splitLines,
    })) {
      if (isHeader) {
        isHeader = false;
        continue;
      }
      records++;
      if (record.line < fromLine) continue;
      if (record.strayQuote) {
        setAside(record.line, null, STRAY_QUOTE, record.raw);
        continue;
      }
      if (spansInvalid(invalid, record.line, record.lines)) {
        const at = record.fields.findIndex((f) => f.includes('\uFFFD'));
        setAside(record.line, at >= 0 ? (columns[at] ?? null) : null, NOT_UTF8, record.raw);
        continue;
      }
      if (record.fields.length !== columns.length) {
        setAside(
          record.line,
          null,
          `row has ${record.fields.length} fields, the header has ${columns.length}`,
          record.raw,
        );
        continue;
      }
      chunkColumns[0]!.push(BigInt(record.line));
      chunkColumns[1]!.push(record.raw);
      chunkColumns[2]!.push(record.lines > 1);
      if (record.lines > 1) multiline++;
      for (let c = 0; c < record.fields.length; c++) {
        const value = record.fields[c]!;
        chunkColumns[c + 3]!.push(value === '' ? null : value);
      }
      if (++chunkRows === CHUNK_ROWS) flush();
    }
    flush();
  } finally {
    stage.closeSync();
    shapeErrors.closeSync();
  }
  return { records, multiline };
}

const STRAY_QUOTE =
  'a quote opens a field that does not close on this line (a stray quote?): the line is set aside, the next is read on its own';
const NOT_UTF8 =
  'the row holds bytes that are not valid UTF-8 (shown as \uFFFD in raw); if the file comes from a GBK system, load it with --encoding gbk';

/** What the compiled checks need to know of the file besides its rows. */
const context = (options: ExplainOptions) => ({
  fileId: options.fileId,
  ...(options.period ? { period: options.period } : {}),
});

function spansInvalid(invalid: ReadonlySet<number>, line: number, lines: number): boolean {
  if (invalid.size === 0) return false;
  for (let l = line; l < line + lines; l++) if (invalid.has(l)) return true;
  return false;
}

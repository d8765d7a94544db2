// Compiles a feed of the contract into the SQL that validates and types it inside DuckDB, so every
// row is checked by vectorised expressions rather than JavaScript loops. The same compiled checks
// serve the fast path (insert the good rows) and the slow path (explain the bad ones), so the two
// can never disagree about which row is good.
import { type FeedSpec, type FieldSpec, type FieldType, feeds } from '../../feeds/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { feedTables } from '../schema.ts';
import { sqlIdentifier as ident, sqlLiteral as quoteLiteral } from '../sql-text.ts';

export interface RelationOptions {
  /** Source columns carried through untouched (e.g. the file name of a multi-file read). */
  passThrough?: string[];
  /** Extra partitioning of the duplicate-key check, so keys are unique per file, not per batch. */
  keyScope?: string[];
  /**
   * The file's period as SQL over the source row (aliased `raw`): rows before `from` or from `until`
   * on are outside it. A constant for one file, a CASE over the file name for several.
   */
  period?: PeriodSql;
  /**
   * The file being checked: a key of the contract already in the feed's table from any other file is
   * a duplicate. Required for a keyed feed; its rows already in the table are not counted against it.
   */
  fileId?: number;
}

export interface PeriodSql {
  /** TIMESTAMP: the first moment a row may have (the period's start less the tolerance). */
  from: string;
  /** TIMESTAMP: the first moment a row may not have (the period's end plus the tolerance). */
  until: string;
  /** VARCHAR for messages: `2026-03-08 ± 1 day`. */
  label: string;
}

export interface CompiledFeed {
  spec: FeedSpec;
  table: string;
  /**
   * The rows of a source relation (e.g. a read_csv call), every contract field as text with empty
   * fields as NULL, plus `<field>__v` holding the parsed value and `key_count` for keyed feeds,
   * joined to the feeds it references. Aliased `src`.
   */
  relation(source: string, options?: RelationOptions): string;
  /** TRUE for a row that passes every check. */
  okPredicate: string;
  /** The name of the first failing field, or NULL for a good row. */
  failedField: string;
  /** The message for the first failing field (used only on bad rows). */
  failureReason: string;
  /** Typed values in the table's column order, then `$file_id`. */
  typedSelect: string;
}

/** The value as read, NULL when empty (normalised once, in the relation). */
const value = (field: FieldSpec) => `src.${ident(field.name)}`;
/** The parsed value, for the types that need parsing. */
const parsed = (field: FieldSpec) => `src.${ident(`${field.name}__v`)}`;
/** The value quoted for a message: "1380013800". */
const shown = (field: FieldSpec) => `'"' || coalesce(${value(field)}, '') || '"'`;

/** The typed value of text `v` (SQL), NULL where it does not parse; undefined for text kept as text. */
export function parseExpression(field: FieldSpec, v: string): string | undefined {
  switch (field.type.kind) {
    case 'int':
      return `TRY_CAST(${v} AS BIGINT)`;
    case 'float':
      return `TRY_CAST(${v} AS DOUBLE)`;
    case 'money':
      return `TRY_CAST(${v} AS DECIMAL(14,2))`;
    case 'date':
      return `TRY_CAST(${v} AS DATE)`;
    case 'month':
      return `TRY_CAST(${v} || '-01' AS DATE)`;
    case 'timestamp':
      return `TRY_CAST(${v} AS TIMESTAMP)`;
    default:
      return undefined;
  }
}

interface Check {
  field: string;
  /** SQL that is TRUE when the field is wrong. */
  fails: string;
  /** SQL text of the message. */
  message: string;
}

/** The message that tells a key loaded from another file; the line of the first is added after. */
export const ALREADY_LOADED = ' was loaded already from ';

/**
 * DuckDB's casts also take 2026/03/01; the contract says 2026-03-01. The shape (length, and the dashes
 * and the space at their places) is one LIKE, `_` being any one character: the same test as a length
 * and three substr() calls, at under half their CPU on a signalling file.
 */
const shapeFails = (v: string, shapes: string[]) => `NOT (${shapes.map((p) => `${v} LIKE '${p}'`).join(' OR ')})`;
const dateShape = '____-__-__';

function typeChecks(field: FieldSpec): Check[] {
  const v = value(field);
  const name = field.name;
  const says = (text: string) => `${quoteLiteral(`${name} `)} || ${shown(field)} || ${quoteLiteral(` ${text}`)}`;
  const type: FieldType = field.type;
  switch (type.kind) {
    case 'text':
      return type.maxLength
        ? [
            {
              field: name,
              // length() counts characters, walking the UTF-8; a string of at most maxLength bytes
              // cannot have more characters, so the byte count (stored with the string) settles most rows.
              fails: `(strlen(${v}) > ${type.maxLength} AND length(${v}) > ${type.maxLength})`,
              message: says(`is longer than ${type.maxLength} characters`),
            },
          ]
        : [];
    case 'msisdn':
      return [
        {
          field: name,
          fails: `NOT regexp_full_match(${v}, '[0-9]{11}')`,
          message: says('must have 11 digits'),
        },
      ];
    case 'digits':
      return [
        {
          field: name,
          fails: `NOT regexp_full_match(${v}, '[0-9]{1,21}')`,
          message: says('must be digits only'),
        },
      ];
    case 'int': {
      const checks: Check[] = [
        // TRY_CAST alone would round "1.5" to 2; the digits test keeps fractions out. (RE2 here is
        // about twice as fast as ltrim over a character set.)
        {
          field: name,
          fails: `(NOT regexp_full_match(${v}, '-?[0-9]+') OR ${parsed(field)} IS NULL)`,
          message: says('must be a whole number'),
        },
      ];
      const range = rangeCheck(parsed(field), type.min, type.max);
      if (range) checks.push({ field: name, fails: range.fails, message: says(range.text) });
      return checks;
    }
    case 'float': {
      const checks: Check[] = [
        { field: name, fails: `TRY_CAST(${v} AS DOUBLE) IS NULL`, message: says('must be a number') },
      ];
      const range = rangeCheck(`TRY_CAST(${v} AS DOUBLE)`, type.min, type.max);
      if (range) checks.push({ field: name, fails: range.fails, message: says(range.text) });
      return checks;
    }
    case 'money':
      return [
        {
          field: name,
          fails: `(${parsed(field)} IS NULL OR (strpos(${v}, '.') > 0 AND length(${v}) - strpos(${v}, '.') > 2))`,
          message: says('must be an amount in yuan with at most two decimals, e.g. 18.00'),
        },
      ];
    case 'date':
      return [
        {
          field: name,
          fails: `(${shapeFails(v, [dateShape])} OR ${parsed(field)} IS NULL)`,
          message: says('must be a date YYYY-MM-DD'),
        },
      ];
    case 'month':
      return [
        {
          field: name,
          fails: `(${shapeFails(v, ['____-__'])} OR ${parsed(field)} IS NULL)`,
          message: says('must be a month YYYY-MM'),
        },
      ];
    case 'timestamp': {
      // 19 or 23 characters with dashes at 5 and 8 and a space at 11; the cast checks the rest.
      const shapes = [`${dateShape} ________`, ...(type.millis ? [`${dateShape} ____________`] : [])];
      const format = type.millis ? 'YYYY-MM-DD HH:MM:SS[.mmm]' : 'YYYY-MM-DD HH:MM:SS';
      return [
        {
          field: name,
          fails: `(${shapeFails(v, shapes)} OR ${parsed(field)} IS NULL)`,
          message: says(`must be a local time ${format}`),
        },
      ];
    }
    case 'enum':
      return [
        {
          field: name,
          fails: `${v} NOT IN (${type.values.map(quoteLiteral).join(', ')})`,
          message: says(`must be one of ${type.values.join(', ')}`),
        },
      ];
    case 'flag':
      return [{ field: name, fails: `${v} NOT IN ('0', '1')`, message: says('must be 0 or 1') }];
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

function rangeCheck(expr: string, min?: number, max?: number): { fails: string; text: string } | undefined {
  if (min !== undefined && max !== undefined)
    return { fails: `${expr} NOT BETWEEN ${min} AND ${max}`, text: `must be between ${min} and ${max}` };
  if (min !== undefined) return { fails: `${expr} < ${min}`, text: `must be at least ${min}` };
  if (max !== undefined) return { fails: `${expr} > ${max}`, text: `must be at most ${max}` };
  return undefined;
}

function typedValue(field: FieldSpec): string {
  if (field.type.kind === 'flag') return `(${value(field)} = '1')`;
  return parseExpression(field, 'x') === undefined ? value(field) : parsed(field);
}

/** A reference checked by a cast to an ENUM type holding the referenced keys, instead of a join. */
export const referenceEnumType = (ref: { feed: string; field: string }) => `telmark_ref_${ref.feed}_${ref.field}`;

/**
 * `enumReferences` names the referenced feeds whose keys the caller has put in an ENUM type (see
 * referenceEnumType). For a few thousand keys (cells, services, plans) the cast costs next to
 * nothing where a hash join costs as much as reading the file; for a million subscribers the join
 * is the faster of the two.
 */
export function compileFeed(spec: FeedSpec, enumReferences: ReadonlySet<string> = new Set()): CompiledFeed {
  const checks: Check[] = [];
  const joins: string[] = [];
  spec.fields.forEach((field, index) => {
    const v = value(field);
    if (!field.optional) {
      checks.push({ field: field.name, fails: `${v} IS NULL`, message: quoteLiteral(`${field.name} is required`) });
    }
    for (const check of typeChecks(field)) checks.push({ ...check, fails: `(${v} IS NOT NULL AND ${check.fails})` });
    if (field.name === spec.timeField && spec.kind !== 'snapshot') {
      // After the type checks, so the parsed value is known good; NULL bounds (no period given) pass.
      checks.push({
        field: field.name,
        fails: `(${parsed(field)} < src.__period_from OR ${parsed(field)} >= src.__period_until)`,
        message: `${quoteLiteral(`${field.name} `)} || ${shown(field)} || ' is outside the file''s period ' || src.__period_label`,
      });
    }
    if (field.references) {
      const message = `${quoteLiteral(`${field.name} `)} || ${shown(field)} || ${quoteLiteral(` is not in the ${field.references.feed} feed`)}`;
      if (enumReferences.has(field.references.feed)) {
        checks.push({
          field: field.name,
          fails: `(${v} IS NOT NULL AND TRY_CAST(${v} AS ${referenceEnumType(field.references)}) IS NULL)`,
          message,
        });
        return;
      }
      const alias = `ref${index}`;
      const ref = feeds[field.references.feed];
      const refTable = feedTables[field.references.feed];
      // A snapshot's single-column key is unique already; anything else needs DISTINCT to keep the join 1:1.
      const unique = ref.key?.length === 1 && ref.key[0] === field.references.field;
      const refColumn = ident(field.references.field);
      const relation = unique ? refTable : `(SELECT DISTINCT ${refColumn} FROM ${refTable})`;
      joins.push(`LEFT JOIN ${relation} ${alias} ON ${alias}.${refColumn} = ${v}`);
      checks.push({ field: field.name, fails: `(${v} IS NOT NULL AND ${alias}.${refColumn} IS NULL)`, message });
    }
  });
  const keyWindow = (scope: string[]) =>
    spec.key ? `, count(*) OVER (PARTITION BY ${[...scope, ...spec.key].map(ident).join(', ')}) AS key_count` : '';
  const priorJoin = (fileId: number) => {
    if (!spec.key) return '';
    const keys = spec.key.map((k) => spec.fields.find((f) => f.name === k)!);
    const on = keys.map((f) => `prior.${ident(f.name)} = ${typedValue(f)}`).join(' AND ');
    // One row per key (a warehouse loaded before keys were unique across files may hold several).
    return `LEFT JOIN (SELECT p.*, lf.file_name AS __first_file
        FROM (SELECT ${keys.map((f) => ident(f.name)).join(', ')}, min(file_id) AS file_id FROM ${feedTables[spec.name]}
              WHERE file_id <> ${fileId} GROUP BY ALL) p
        JOIN load_files lf ON lf.file_id = p.file_id) prior ON ${on}`;
  };
  if (spec.key) {
    const keyText = spec.key.map((k) => `coalesce(src.${ident(k)}, '')`).join(` || ',' || `);
    checks.push({
      field: spec.key.join(','),
      fails: 'src.key_count > 1',
      message: `${quoteLiteral(`duplicate ${spec.key.join(',')} `)} || '"' || ${keyText} || '"' || ' appears ' || src.key_count || ' times in the file'`,
    });
    // A key of the contract is unique across files too: the first file to load it keeps it.
    checks.push({
      field: spec.key.join(','),
      fails: 'prior.file_id IS NOT NULL',
      message: `${quoteLiteral(`${spec.key.join(',')} `)} || '"' || ${keyText} || '"' || ${quoteLiteral(ALREADY_LOADED)} || prior.__first_file`,
    });
  }
  // NULL-safe, so "no check is true" means the same row in the predicate and in the CASE.
  const failing = checks.map((c) => ({ ...c, fails: `coalesce(${c.fails}, FALSE)` }));
  const normalised = spec.fields.map((f) => `nullif(raw.${ident(f.name)}, '') AS ${ident(f.name)}`).join(', ');
  const parsedColumns = spec.fields
    .map((f) => {
      const expression = parseExpression(f, ident(f.name));
      return expression ? `, ${expression} AS ${ident(`${f.name}__v`)}` : '';
    })
    .join('');
  return {
    spec,
    table: feedTables[spec.name],
    relation: (source, { passThrough = [], keyScope = [], period, fileId } = {}) => {
      if (spec.key && fileId === undefined) throw new AppError('INTERNAL', `the ${spec.name} checks need the file id`);
      const periodColumns = period
        ? [`${period.from} AS __period_from`, `${period.until} AS __period_until`, `${period.label} AS __period_label`]
        : ['NULL::TIMESTAMP AS __period_from', 'NULL::TIMESTAMP AS __period_until', 'NULL::VARCHAR AS __period_label'];
      const columns = [normalised, ...passThrough.map((c) => `raw.${ident(c)}`), ...periodColumns];
      return `(SELECT *${parsedColumns}${keyWindow(keyScope)} FROM (SELECT ${columns.join(', ')} FROM ${source} raw)) src ${joins.join(' ')} ${priorJoin(fileId ?? -1)}`;
    },
    okPredicate: failing.map((c) => `NOT ${c.fails}`).join(' AND '),
    failedField: `CASE ${failing.map((c) => `WHEN ${c.fails} THEN ${quoteLiteral(c.field)}`).join(' ')} END`,
    failureReason: `CASE ${failing.map((c) => `WHEN ${c.fails} THEN ${c.message}`).join(' ')} END`,
    typedSelect: [...spec.fields.map(typedValue), '$file_id'].join(', '),
  };
}

const compiled = new Map<string, CompiledFeed>();
export function compiledFeed(name: keyof typeof feeds, enumReferences: ReadonlySet<string> = new Set()): CompiledFeed {
  const key = `${name}|${[...enumReferences].sort().join(',')}`;
  let entry = compiled.get(key);
  if (!entry) {
    entry = compileFeed(feeds[name], enumReferences);
    compiled.set(key, entry);
  }
  return entry;
}

// Compiles a feed of the contract into the SQL that validates and types it inside DuckDB, so every
// row is checked by vectorised expressions rather than JavaScript loops. The same compiled checks
// serve the fast path (insert the good rows) and the slow path (explain the bad ones), so the two
// can never disagree about which row is good.
import { type FeedSpec, type FieldSpec, type FieldType, feeds } from '../../feeds/contract.ts';
import { feedTables } from '../schema.ts';

export interface CompiledFeed {
  spec: FeedSpec;
  table: string;
  /** Joins that resolve references, to append after the source relation aliased `src`. */
  joins: string;
  /** Evaluates to the name of the first failing field, or NULL for a good row. */
  failedField: string;
  /** Evaluates to the message for the first failing field (used only on bad rows). */
  failureReason: string;
  /** Typed values in the table's column order, then file_id as the parameter `$file_id`. */
  typedSelect: string;
  /** Window columns needed by key checks (empty when the feed has no key). */
  windowColumns: string;
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The value as read: NULL for an empty field, quoted or not. */
const value = (field: FieldSpec) => `nullif(src.${ident(field.name)}, '')`;
/** The value quoted for a message: "1380013800". */
const shown = (field: FieldSpec) => `'"' || coalesce(src.${ident(field.name)}, '') || '"'`;

interface Check {
  field: string;
  /** SQL that is TRUE when the field is wrong. */
  fails: string;
  /** SQL text of the message. */
  message: string;
}

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
              fails: `length(${v}) > ${type.maxLength}`,
              message: says(`is longer than ${type.maxLength} characters`),
            },
          ]
        : [];
    case 'msisdn':
      return [
        {
          field: name,
          fails: `(length(${v}) <> 11 OR ltrim(${v}, '0123456789') <> '')`,
          message: says('must have 11 digits'),
        },
      ];
    case 'digits':
      return [
        {
          field: name,
          fails: `(length(${v}) > 21 OR ltrim(${v}, '0123456789') <> '')`,
          message: says('must be digits only'),
        },
      ];
    case 'int': {
      const checks: Check[] = [
        // TRY_CAST alone would round "1.5" to 2; the digits test keeps fractions out.
        {
          field: name,
          fails: `(ltrim(ltrim(${v}, '-'), '0123456789') <> '' OR TRY_CAST(${v} AS BIGINT) IS NULL)`,
          message: says('must be a whole number'),
        },
      ];
      const range = rangeCheck(`TRY_CAST(${v} AS BIGINT)`, type.min, type.max);
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
          fails: `(TRY_CAST(${v} AS DECIMAL(14,2)) IS NULL OR (strpos(${v}, '.') > 0 AND length(${v}) - strpos(${v}, '.') > 2))`,
          message: says('must be an amount in yuan with at most two decimals, e.g. 18.00'),
        },
      ];
    case 'date':
      return [
        {
          field: name,
          fails: `(length(${v}) <> 10 OR TRY_CAST(${v} AS DATE) IS NULL)`,
          message: says('must be a date YYYY-MM-DD'),
        },
      ];
    case 'month':
      return [
        {
          field: name,
          fails: `(length(${v}) <> 7 OR TRY_CAST(${v} || '-01' AS DATE) IS NULL)`,
          message: says('must be a month YYYY-MM'),
        },
      ];
    case 'timestamp': {
      const lengths = type.millis ? '(19, 23)' : '(19)';
      const format = type.millis ? 'YYYY-MM-DD HH:MM:SS[.mmm]' : 'YYYY-MM-DD HH:MM:SS';
      return [
        {
          field: name,
          fails: `(length(${v}) NOT IN ${lengths} OR substr(${v}, 11, 1) <> ' ' OR TRY_CAST(${v} AS TIMESTAMP) IS NULL)`,
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
  const v = value(field);
  switch (field.type.kind) {
    case 'text':
    case 'msisdn':
    case 'digits':
    case 'enum':
      return v;
    case 'int':
      return `CAST(${v} AS BIGINT)`;
    case 'float':
      return `CAST(${v} AS DOUBLE)`;
    case 'money':
      return `CAST(${v} AS DECIMAL(14,2))`;
    case 'date':
      return `CAST(${v} AS DATE)`;
    case 'month':
      return `CAST(${v} || '-01' AS DATE)`;
    case 'timestamp':
      return `CAST(${v} AS TIMESTAMP)`;
    case 'flag':
      return `(${v} = '1')`;
    default: {
      const exhaustive: never = field.type;
      return exhaustive;
    }
  }
}

export function compileFeed(spec: FeedSpec): CompiledFeed {
  const checks: Check[] = [];
  const joins: string[] = [];
  spec.fields.forEach((field, index) => {
    const v = value(field);
    if (!field.optional) {
      checks.push({ field: field.name, fails: `${v} IS NULL`, message: quoteLiteral(`${field.name} is required`) });
    }
    for (const check of typeChecks(field)) checks.push({ ...check, fails: `(${v} IS NOT NULL AND ${check.fails})` });
    if (field.references) {
      const alias = `ref${index}`;
      const refTable = feedTables[field.references.feed];
      joins.push(
        `LEFT JOIN (SELECT DISTINCT ${ident(field.references.field)} AS k FROM ${refTable}) ${alias} ON ${alias}.k = ${v}`,
      );
      checks.push({
        field: field.name,
        fails: `(${v} IS NOT NULL AND ${alias}.k IS NULL)`,
        message: `${quoteLiteral(`${field.name} `)} || ${shown(field)} || ${quoteLiteral(` is not in the ${field.references.feed} feed`)}`,
      });
    }
  });
  let windowColumns = '';
  if (spec.key) {
    const keyColumns = spec.key.map((k) => `src.${ident(k)}`).join(', ');
    windowColumns = `, count(*) OVER (PARTITION BY ${keyColumns}) AS key_count`;
    const keyText = spec.key.map((k) => `coalesce(src.${ident(k)}, '')`).join(` || ',' || `);
    checks.push({
      field: spec.key.join(','),
      fails: 'key_count > 1',
      message: `${quoteLiteral(`duplicate ${spec.key.join(',')} `)} || '"' || ${keyText} || '"' || ' appears ' || key_count || ' times in the file'`,
    });
  }
  const failedField = `CASE ${checks.map((c) => `WHEN ${c.fails} THEN ${quoteLiteral(c.field)}`).join(' ')} END`;
  const failureReason = `CASE ${checks.map((c) => `WHEN ${c.fails} THEN ${c.message}`).join(' ')} END`;
  const typedSelect = [...spec.fields.map(typedValue), '$file_id'].join(', ');
  return {
    spec,
    table: feedTables[spec.name],
    joins: joins.join('\n'),
    failedField,
    failureReason,
    typedSelect,
    windowColumns,
  };
}

const compiled = new Map<string, CompiledFeed>();
export function compiledFeed(name: keyof typeof feeds): CompiledFeed {
  let entry = compiled.get(name);
  if (!entry) {
    entry = compileFeed(feeds[name]);
    compiled.set(name, entry);
  }
  return entry;
}

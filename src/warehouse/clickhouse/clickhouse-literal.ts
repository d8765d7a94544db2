// ClickHouse 18.16 has no query parameters (`query_params` of @clickhouse/client fails on it), so values
// reach its SQL as literals rendered here, and only here: typed values in, quoted and escaped text out.
import { AppError } from '../../shared/errors.ts';
import type { SqlParam } from '../warehouse.ts';

const escapes: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A value as a ClickHouse literal: strings quoted with backslash and quote escaped; numbers checked finite. */
export function clickhouseLiteral(value: SqlParam): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new AppError('INTERNAL', `cannot bind ${value} as a ClickHouse literal`, { hint: 'pass a finite number' });
    return String(value);
  }
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (c) => escapes[c]!)}'`;
}

/**
 * The statement with each `?` outside quotes replaced by the next value's literal (the DuckDB-style
 * placeholders the rest of Telmark writes). Quoted text ('…', "…", `…`) and comments are left alone,
 * so a `?` inside them is not a placeholder; the count of values must match exactly.
 */
export function bindClickHouse(sql: string, params: readonly SqlParam[] = []): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      if (next >= params.length) throw placeholderMismatch(sql, params.length);
      out += clickhouseLiteral(params[next++]!);
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (next !== params.length) throw placeholderMismatch(sql, params.length);
  return out;
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  throw new AppError('INTERNAL', 'unterminated quote in a ClickHouse statement', {
    hint: `while binding: ${sql.slice(0, 120)}`,
  });
}

function placeholderMismatch(sql: string, given: number): AppError {
  const wanted = bindablePlaceholders(sql);
  return new AppError('INTERNAL', `the statement has ${wanted} placeholder(s) but ${given} value(s) were given`, {
    hint: `while binding: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`,
  });
}

function bindablePlaceholders(sql: string): number {
  return sql.replace(/'(?:\\.|''|[^'\\])*'|"(?:[^"])*"|`[^`]*`/g, '').split('?').length - 1;
}

// The loop over a buffer's records as one function generated for a header layout, instead of a loop
// over the columns that calls each field's scanner through one shared call site. There, six kinds of
// scanner met at the same call, which V8 then cannot inline (a megamorphic call per field, ~140 ns
// a row on a signalling file); here each field has its own call site, always to the same scanner, so
// the scanners inline into the loop and the column loop and its array reads disappear.
// The generated text holds only numbers and the code below: the layout's column count, which
// columns are required, which are looked up among known keys. Nothing of the file (no column name,
// no value) is ever part of it; the scanners and key sets come in as arguments.
import type { ByteKeySet } from './byte-key-set.ts';
import type { FieldScanner } from './compile-field-scanner.ts';

/** One column of a header layout, in file order. */
export interface CheckedColumn {
  scan: FieldScanner;
  /** An empty field is a doubt. */
  required: boolean;
  /** The field's bytes must be one of these keys (when its scanner does not look them up itself). */
  reference: ByteKeySet | undefined;
  /**
   * What kind of scanner `scan` is (`timestamp`, `msisdn`, `key:msisdn` …): columns of the same kinds
   * share a generated function. Never part of its text.
   */
  kind: string;
}

/** Where and why a record was not proven (set by a checker that returns -1). */
export interface CheckFailure {
  /** Records proven before the doubtful one. */
  records: number;
  /** 0-based column. */
  column: number;
  why: 'field' | 'empty' | 'unknown key' | 'delimiter' | 'more fields' | 'too long';
}

/**
 * Proves the records of `[start, end)`, whose last byte is a newline (each ends with LF or CR LF).
 * Returns how many records, all proven; or -1 with `failure` set at the first it cannot prove.
 */
export type RecordChecker = (bytes: Uint8Array, start: number, end: number, failure: CheckFailure) => number;

const COMMA = 44;
const NEWLINE = 10;
const CR = 13;
/** DuckDB's reader refuses longer lines; such a file is the checked path's. */
export const MAX_RECORD_BYTES = 1 << 20;

function fail(failure: CheckFailure, records: number, column: number, why: CheckFailure['why']): number {
  failure.records = records;
  failure.column = column;
  failure.why = why;
  return -1;
}

/**
 * The factories by layout (the columns' kinds), so a layout is compiled once per process and its
 * call sites only ever see scanners of one kind each: one function shared by two feeds whose
 * layouts differ only in the kinds of scanner would see both at a call site and stop inlining there.
 */
const factories = new Map<string, (...args: unknown[]) => RecordChecker>();

export function compileRecordChecker(columns: readonly CheckedColumn[]): RecordChecker {
  const layout = columns.map((c) => `${c.kind}${c.required ? '!' : '?'}${c.reference ? '@' : ''}`).join(',');
  let factory = factories.get(layout);
  if (!factory) {
    factory = new Function(
      'fail',
      ...columns.flatMap((_, i) => [`s${i}`, `k${i}`]),
      checkerSource(columns, factories.size),
    ) as (...args: unknown[]) => RecordChecker;
    factories.set(layout, factory);
  }
  return factory(fail, ...columns.flatMap((c) => [c.scan, c.reference]));
}

/** `serial` makes each layout's text distinct, so V8 never shares one compiled function (and its feedback) between two. */
function checkerSource(columns: readonly CheckedColumn[], serial: number): string {
  const last = columns.length - 1;
  const fields = columns.map((column, i) => {
    const lines = [`q = s${i}(b, p, limit);`, `if (q < 0) return fail(failure, records, ${i}, 'field');`];
    if (column.required) lines.push(`if (q === p) return fail(failure, records, ${i}, 'empty');`);
    if (column.reference)
      lines.push(`if (q !== p && !k${i}.has(b, p, q)) return fail(failure, records, ${i}, 'unknown key');`);
    if (i < last) {
      lines.push(`if (b[q] !== ${COMMA}) return fail(failure, records, ${i}, 'delimiter');`, 'p = q + 1;');
    } else {
      lines.push(
        `c = b[q];`,
        `if (c === ${NEWLINE}) p = q + 1;`,
        `else if (c === ${CR} && b[q + 1] === ${NEWLINE}) p = q + 2;`,
        `else return fail(failure, records, ${i}, 'more fields');`,
      );
    }
    return lines.join('\n      ');
  });
  return `'use strict'; // layout ${serial}
  return function checkRecords(b, start, end, failure) {
    const limit = end - 1; // the final newline: no field reaches it
    let p = start;
    let q = 0;
    let c = 0;
    let records = 0;
    while (p < end) {
      const recordStart = p;
      ${fields.join('\n      ')}
      if (p - recordStart > ${MAX_RECORD_BYTES}) return fail(failure, records, ${last}, 'too long');
      records++;
    }
    return records;
  };`;
}

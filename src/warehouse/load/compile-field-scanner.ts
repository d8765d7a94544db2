// One field of the feed contract as a scanner over a record's bytes: it reads the field from `start`
// and returns where its content ends (the caller checks that a comma or the record's end is there),
// or -1 when it cannot prove the field good. No string is made. Every scanner is at least as strict
// as the SQL checks of compile-feed-sql.ts: a field it passes, the SQL passes; what it is unsure of
// (a float, a text longer in bytes than its limit in characters, a quote) it refuses, and the file
// then takes the checked path. An empty field returns `start`: whether it may be empty is the caller's.
import type { FieldType } from '../../feeds/contract.ts';
import { type ByteKeySet, FNV_OFFSET, FNV_PRIME } from './byte-key-set.ts';

/**
 * Reads from `start`, never at or past `end` (the newline that ends the last record of the buffer);
 * a field ends at a comma, a CR or a newline, which the caller then judges.
 */
export type FieldScanner = (bytes: Uint8Array, start: number, end: number) => number;

export interface ScannerOptions {
  /** For the file's time field: `YYYY-MM-DD HH:MM:SS` bounds, rows from `from` and before `until`. */
  period?: { from: string; until: string };
  /**
   * For the file's time field: counts the times it passes by date (`YYYY-MM-DD`), so a proven file's
   * days need no count in SQL afterwards (a time's date is its first ten bytes, as the cast reads them).
   */
  rowsByDay?: Map<string, { rows: number }>;
}

const COMMA = 44;
const NEWLINE = 10;
const CR = 13;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const SPACE = 32;
const QUOTE = 34;
const DEL = 127;

const digitAt = (b: Uint8Array, i: number) => {
  const d = b[i]! - 48;
  return d >= 0 && d <= 9 ? d : -1;
};

/** A number of `count` digits at `i`, or -1. */
function number(b: Uint8Array, i: number, count: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    const d = digitAt(b, i + k);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * `YYYY-MM` or `YYYY-MM-DD` at `i` naming a real month or day; years outside 1900–2100 are left to
 * the SQL (DuckDB takes them, but nothing here needs to prove them).
 */
function calendar(b: Uint8Array, i: number, withDay: boolean): boolean {
  const year = number(b, i, 4);
  if (year < 1900 || year > 2100 || b[i + 4] !== DASH) return false;
  const month = number(b, i + 5, 2);
  if (month < 1 || month > 12) return false;
  if (!withDay) return true;
  if (b[i + 7] !== DASH) return false;
  const day = number(b, i + 8, 2);
  return day >= 1 && day <= daysIn(year, month);
}

/** Two digits at `i` as a number, or -1. */
function twoDigits(b: Uint8Array, i: number): number {
  const tens = digitAt(b, i);
  const units = digitAt(b, i + 1);
  return tens < 0 || units < 0 ? -1 : tens * 10 + units;
}

/** `HH:MM:SS` at `i`. */
function clock(b: Uint8Array, i: number): boolean {
  const hour = twoDigits(b, i);
  const minute = twoDigits(b, i + 3);
  const second = twoDigits(b, i + 6);
  return (
    b[i + 2] === COLON &&
    b[i + 5] === COLON &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

/** Compares the 19 bytes at `i` with `bound` (ASCII): negative, zero or positive. */
function compare19(b: Uint8Array, i: number, bound: Uint8Array): number {
  for (let k = 0; k < 19; k++) {
    const d = b[i + k]! - bound[k]!;
    if (d !== 0) return d;
  }
  return 0;
}

const isEmpty = (b: Uint8Array, start: number, end: number) => {
  const c = b[start];
  return start >= end || c === COMMA || c === NEWLINE || c === CR;
};

/** Bytes up to the next comma, CR or newline; -1 on a quote or another control character (a tab, NUL). */
function plainText(b: Uint8Array, start: number, end: number): number {
  let i = start;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === COMMA || c === NEWLINE || c === CR) return i;
    if (c < SPACE || c === QUOTE || c === DEL) return -1;
  }
  return i;
}

function digits(b: Uint8Array, start: number, end: number, most: number): number {
  let i = start;
  while (i < end && digitAt(b, i) >= 0) i++;
  return i - start > most ? -1 : i;
}

/** Whether the 10 bytes at `i` equal `date`. */
function sameDate(b: Uint8Array, i: number, date: Uint8Array): boolean {
  for (let k = 0; k < 10; k++) if (b[i + k] !== date[k]) return false;
  return true;
}

function timestamp(millis: boolean, { period, rowsByDay }: ScannerOptions): FieldScanner {
  const from = period ? Buffer.from(period.from, 'latin1') : undefined;
  const until = period ? Buffer.from(period.until, 'latin1') : undefined;
  // The rows of a daily file share a few dates: the last date proven is kept with whether its whole
  // day lies inside the period, so most rows skip the calendar and the comparisons with the bounds.
  const date = new Uint8Array(10);
  let dateKnown = false;
  let wholeDayInside = false;
  // The kept date's entry of rowsByDay (or a counter no one reads).
  let day = { rows: 0 };
  return (b, start, end) => {
    if (isEmpty(b, start, end)) return start;
    if (start + 19 > end) return -1;
    if (!dateKnown || !sameDate(b, start, date)) {
      if (!calendar(b, start, true)) return -1;
      date.set(b.subarray(start, start + 10));
      dateKnown = true;
      const dayText = Buffer.from(date).toString('latin1');
      if (rowsByDay) {
        const counted = rowsByDay.get(dayText) ?? { rows: 0 };
        rowsByDay.set(dayText, counted);
        day = counted;
      }
      const midnight = Buffer.from(`${dayText} 00:00:00`, 'latin1');
      const lastSecond = Buffer.from(`${dayText} 23:59:59`, 'latin1');
      wholeDayInside = !from || !until || (compare19(midnight, 0, from) >= 0 && compare19(lastSecond, 0, until) < 0);
    }
    if (b[start + 10] !== SPACE || !clock(b, start + 11)) return -1;
    // A time with a fraction is at or after its whole second and before the next, so the first 19
    // bytes settle the comparison with whole-second bounds.
    if (!wholeDayInside) {
      if (from && compare19(b, start, from) < 0) return -1;
      if (until && compare19(b, start, until) >= 0) return -1;
    }
    if (!millis || b[start + 19] !== DOT) {
      day.rows++;
      return start + 19;
    }
    if (start + 23 > end || digitAt(b, start + 20) < 0 || digitAt(b, start + 21) < 0 || digitAt(b, start + 22) < 0)
      return -1;
    day.rows++;
    return start + 23;
  };
}

function integer(min: number | undefined, max: number | undefined): FieldScanner {
  return (b, start, end) => {
    if (isEmpty(b, start, end)) return start;
    const negative = b[start] === DASH;
    const first = negative ? start + 1 : start;
    let magnitude = 0;
    let i = first;
    for (; i < end; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      magnitude = magnitude * 10 + d;
    }
    // 15 digits stay exact in a double; longer numbers are the SQL's to judge.
    if (i === first || i - first > 15) return -1;
    const value = negative ? -magnitude : magnitude;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) return -1;
    return i;
  };
}

function money(): FieldScanner {
  return (b, start, end) => {
    if (isEmpty(b, start, end)) return start;
    const first = b[start] === DASH ? start + 1 : start;
    const whole = digits(b, first, end, 12);
    if (whole <= first) return -1;
    if (whole >= end || b[whole] !== DOT) return whole;
    const cents = digits(b, whole + 1, end, 2);
    return cents > whole + 1 ? cents : -1;
  };
}

/**
 * One of a few words, compared in place: a word matches when a delimiter follows it. Only the words
 * that begin with the field's first byte are tried (most enums have one or two a byte): trying them
 * all in turn cost about a seventh of the validator's time on a signalling file's seven events.
 */
function oneOf(values: readonly string[]): FieldScanner {
  const byFirstByte: Buffer[][] = Array.from({ length: 256 }, () => []);
  for (const value of values) {
    const encoded = Buffer.from(value, 'utf8');
    if (encoded.length > 0) byFirstByte[encoded[0]!]!.push(encoded);
  }
  return (b, start, end) => {
    if (isEmpty(b, start, end)) return start;
    for (const value of byFirstByte[b[start]!]!) {
      const stop = start + value.length;
      if (stop > end) continue;
      let k = 0;
      while (k < value.length && value[k] === b[start + k]) k++;
      if (k !== value.length) continue;
      const next = b[stop];
      if (next === COMMA || next === NEWLINE || next === CR || stop === end) return stop;
    }
    return -1;
  };
}

/**
 * A field that must be one of a snapshot's keys, when every key passes the field's own scanner: then
 * finding the field among the keys proves its type too, and one walk over its bytes (to the
 * delimiter, hashing) does both.
 */
export function keyScanner(keys: ByteKeySet, own: FieldScanner): FieldScanner | undefined {
  if (!keys.every((key) => own(key, 0, key.length) === key.length)) return undefined;
  return (b, start, end) => {
    let i = start;
    let hash = FNV_OFFSET;
    for (; i < end; i++) {
      const c = b[i]!;
      // Comma, CR and newline are all at most 44: one comparison passes the bytes of most keys.
      if (c <= COMMA && (c === COMMA || c === NEWLINE || c === CR)) break;
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    if (i === start) return start;
    return keys.hasHashed(b, start, i, hash >>> 0) ? i : -1;
  };
}

export function compileFieldScanner(type: FieldType, options: ScannerOptions = {}): FieldScanner {
  switch (type.kind) {
    case 'text': {
      const most = type.maxLength;
      // A text of at most maxLength bytes has at most maxLength characters; a longer one is the SQL's.
      if (most === undefined) return plainText;
      return (b, start, end) => {
        const stop = plainText(b, start, end);
        return stop - start > most ? -1 : stop;
      };
    }
    case 'msisdn':
      return (b, start, end) => {
        if (isEmpty(b, start, end)) return start;
        if (start + 11 > end) return -1;
        for (let i = start; i < start + 11; i++) if (digitAt(b, i) < 0) return -1;
        return start + 11;
      };
    case 'digits':
      return (b, start, end) => digits(b, start, end, 21);
    case 'int':
      return integer(type.min, type.max);
    case 'money':
      return money();
    case 'float':
      // Where a decimal text falls against a bound is the cast's to say; not proven here.
      return (b, start, end) => (isEmpty(b, start, end) ? start : -1);
    case 'date':
      return (b, start, end) => {
        if (isEmpty(b, start, end)) return start;
        return start + 10 <= end && calendar(b, start, true) ? start + 10 : -1;
      };
    case 'month':
      return (b, start, end) => {
        if (isEmpty(b, start, end)) return start;
        return start + 7 <= end && calendar(b, start, false) ? start + 7 : -1;
      };
    case 'timestamp':
      return timestamp(type.millis === true, options);
    case 'enum':
      return oneOf(type.values);
    case 'flag':
      return (b, start, end) => {
        if (isEmpty(b, start, end)) return start;
        return b[start] === 48 || b[start] === 49 ? start + 1 : -1;
      };
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

// Reads a generated demo directory back for tests: CSV rows as string arrays, and a checker of
// every field against the feed contract (types, enums, references).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FeedName, type FieldSpec, feeds, parseFeedFileName } from '../../src/feeds/contract.ts';

export interface CsvFile {
  name: string;
  header: string[];
  rows: string[][];
}

export function readCsv(dir: string, name: string): CsvFile {
  const lines = readFileSync(join(dir, name), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { name, header: lines[0]!.split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

/** Files of one feed, in name order. */
export function feedFiles(dir: string, feed: FeedName): string[] {
  return readdirSync(dir)
    .filter((f) => {
      const parsed = parseFeedFileName(f);
      return 'feed' in parsed && parsed.feed === feed;
    })
    .sort();
}

export function readFeed(dir: string, feed: FeedName): string[][] {
  return feedFiles(dir, feed).flatMap((f) => readCsv(dir, f).rows);
}

/** Column index by name for a feed. */
export function columnsOf(feed: FeedName): Record<string, number> {
  return Object.fromEntries(feeds[feed].fields.map((f, i) => [f.name, i]));
}

const patterns = {
  msisdn: /^[0-9]{11}$/,
  digits: /^[0-9]+$/,
  int: /^-?[0-9]+$/,
  money: /^-?[0-9]+\.[0-9]{2}$/,
  float: /^-?[0-9]+(\.[0-9]+)?$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  timestamp: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
  timestampMillis: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{3})?$/,
  flag: /^[01]$/,
};

/** Why `value` breaks the field's contract, or undefined when it is fine. */
export function fieldProblem(field: FieldSpec, value: string | undefined): string | undefined {
  if (value === undefined) return 'missing';
  if (value === '') return field.optional ? undefined : 'empty';
  const type = field.type;
  switch (type.kind) {
    case 'text':
      return type.maxLength !== undefined && value.length > type.maxLength ? 'too long' : undefined;
    case 'msisdn':
      return patterns.msisdn.test(value) ? undefined : 'not 11 digits';
    case 'digits':
      return patterns.digits.test(value) ? undefined : 'not digits';
    case 'int': {
      if (!patterns.int.test(value)) return 'not an integer';
      const n = Number(value);
      if (type.min !== undefined && n < type.min) return 'below min';
      if (type.max !== undefined && n > type.max) return 'above max';
      return undefined;
    }
    case 'money':
      return patterns.money.test(value) ? undefined : 'not money';
    case 'float': {
      if (!patterns.float.test(value)) return 'not a number';
      const n = Number(value);
      return (type.min !== undefined && n < type.min) || (type.max !== undefined && n > type.max)
        ? 'out of range'
        : undefined;
    }
    case 'date':
      return patterns.date.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'not a date';
    case 'month':
      return patterns.month.test(value) ? undefined : 'not a month';
    case 'timestamp':
      return (type.millis ? patterns.timestampMillis : patterns.timestamp).test(value) ? undefined : 'not a timestamp';
    case 'enum':
      return type.values.includes(value) ? undefined : 'not in enum';
    case 'flag':
      return patterns.flag.test(value) ? undefined : 'not 0/1';
  }
}

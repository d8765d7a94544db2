// Writes a rule table as csv, json or a readable table, the same text formatRows(rules.map(ruleToRow))
// gives, built straight from the table's columns (no object per rule) as bytes handed to `write` in
// chunks of 256 kB (byte-writer.ts): on T10I4D100K-sized output, formatting row objects and joining
// strings cost more than mining. An itemset's text is encoded once, however many rules it is in.
import type { RuleTable } from '../mining/rules/index.ts';
import { ByteWriter } from './byte-writer.ts';
import { displayWidth, type OutputFormat } from './output.ts';

const COMMA = 0x2c;
const NEWLINE = 0x0a;

const columns = [
  'lhs',
  'rhs',
  'support',
  'confidence',
  'lift',
  'leverage',
  'conviction',
  'count',
  'lhs_count',
  'rhs_count',
] as const;

export interface RuleTableWriting {
  format: OutputFormat;
  /** Print at most this many rules (default all). */
  limit?: number;
  /** CSV rows as one string each up to this many rows (default textRowsUpTo); for tests. */
  textRowsUpTo?: number;
}

export function writeRuleTable(
  table: RuleTable,
  write: (chunk: Uint8Array) => void,
  { format, limit = table.size, textRowsUpTo = defaultTextRowsUpTo }: RuleTableWriting,
): void {
  const rows = Math.min(limit, table.size);
  const out = new ByteWriter(write);
  if (format === 'csv') (rows <= textRowsUpTo ? writeCsvRows : writeCsv)(table, rows, out);
  else if (format === 'json') writeJson(table, rows, out);
  else writeTable(table, rows, out);
  out.flush();
}

/**
 * Up to this many CSV rows, each row is one template string (numbers through String(), native code)
 * written to the buffer; beyond, the byte loops below. In a fresh process the byte loops run
 * unoptimised for a good while: on Groceries-like (12,199 rules) rows as strings take 39 ms of CPU
 * against 54 ms; on T10I4D100K-like (108,323 rules) the byte loops, optimised by then, take 120 ms
 * against 228 ms (medians of nine cold runs each, on the shared machine).
 */
const defaultTextRowsUpTo = 32_768;

const scratch = new Float64Array(8);

/**
 * The numbers of rule r, as ruleToRow rounds them (support, confidence, lift, leverage, conviction,
 * count, lhs_count, rhs_count); conviction NaN when confidence is 1. One array, overwritten per rule.
 */
function measures(table: RuleTable, r: number): Float64Array {
  const { counts, basketCount: n } = table.sets;
  const count = counts[table.whole[r]!]!;
  const lhsCount = counts[table.antecedent[r]!]!;
  const rhsCount = counts[table.consequent[r]!]!;
  const support = count / n;
  const confidence = count / lhsCount;
  const rhsSupport = rhsCount / n;
  const lift = (confidence * n) / rhsCount;
  const leverage = support - (lhsCount / n) * rhsSupport;
  const conviction = confidence >= 1 ? Number.NaN : (1 - rhsSupport) / (1 - confidence);
  scratch[0] = round6(support);
  scratch[1] = round6(confidence);
  scratch[2] = round6(lift);
  scratch[3] = round6(leverage);
  scratch[4] = round6(conviction);
  scratch[5] = count;
  scratch[6] = lhsCount;
  scratch[7] = rhsCount;
  return scratch;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** An itemset's names joined with ", ", each name transformed once per item, not once per rule. */
function itemsetText(table: RuleTable, perItem: string[]): (k: number) => string {
  const { items, offsets } = table.sets;
  return (k) => {
    let text = perItem[items[offsets[k]!]!]!;
    for (let j = offsets[k]! + 1; j < offsets[k + 1]!; j++) text += `, ${perItem[items[j]!]!}`;
    return text;
  };
}

/** Each itemset's cell as UTF-8 bytes, made on first use and kept. */
function cellBytes(table: RuleTable, text: (k: number) => string): (k: number) => Uint8Array {
  const cells: Uint8Array[] = new Array(table.sets.size);
  return (k) => {
    let bytes = cells[k];
    if (bytes === undefined) cells[k] = bytes = Buffer.from(text(k), 'utf8');
    return bytes;
  };
}

function writeCsv(table: RuleTable, rows: number, out: ByteWriter): void {
  if (rows === 0) return;
  const { itemNames, items, offsets } = table.sets;
  const escaped = itemNames.map((name) => name.replace(/"/g, '""'));
  const needsQuotes = itemNames.map((name) => /[",\n\r]/.test(name));
  const joined = itemsetText(table, escaped);
  const cell = cellBytes(table, (k) => {
    const single = offsets[k + 1]! - offsets[k]! === 1;
    return single && !needsQuotes[items[offsets[k]!]!] ? joined(k) : `"${joined(k)}"`;
  });
  out.text(columns.join(','));
  for (let r = 0; r < rows; r++) {
    const m = measures(table, r);
    out.ascii(NEWLINE);
    out.bytes(cell(table.antecedent[r]!));
    out.ascii(COMMA);
    out.bytes(cell(table.consequent[r]!));
    for (let c = 0; c < 5; c++) {
      out.ascii(COMMA);
      if (!Number.isNaN(m[c]!)) out.sixDecimals(m[c]!);
    }
    for (let c = 5; c < 8; c++) {
      out.ascii(COMMA);
      out.integer(m[c]!);
    }
  }
  out.ascii(NEWLINE);
}

/** The CSV as writeCsv writes it, one string a row (see defaultTextRowsUpTo). */
function writeCsvRows(table: RuleTable, rows: number, out: ByteWriter): void {
  if (rows === 0) return;
  const { itemNames, items, offsets, counts, basketCount: n } = table.sets;
  const escaped = itemNames.map((name) => name.replace(/"/g, '""'));
  const needsQuotes = itemNames.map((name) => /[",\n\r]/.test(name));
  const joined = itemsetText(table, escaped);
  const cells: string[] = new Array(table.sets.size);
  const cell = (k: number): string => {
    let text = cells[k];
    if (text === undefined) {
      const single = offsets[k + 1]! - offsets[k]! === 1;
      cells[k] = text = single && !needsQuotes[items[offsets[k]!]!] ? joined(k) : `"${joined(k)}"`;
    }
    return text;
  };
  out.text(columns.join(','));
  for (let r = 0; r < rows; r++) {
    const a = table.antecedent[r]!;
    const c = table.consequent[r]!;
    const count = counts[table.whole[r]!]!;
    const lhsCount = counts[a]!;
    const rhsCount = counts[c]!;
    const support = count / n;
    const confidence = count / lhsCount;
    const rhsSupport = rhsCount / n;
    const lift = (confidence * n) / rhsCount;
    const leverage = support - (lhsCount / n) * rhsSupport;
    const conviction = confidence >= 1 ? '' : round6((1 - rhsSupport) / (1 - confidence));
    out.text(
      `\n${cell(a)},${cell(c)},${round6(support)},${round6(confidence)},${round6(lift)},${round6(leverage)},${conviction},${count},${lhsCount},${rhsCount}`,
    );
  }
  out.ascii(NEWLINE);
}

const jsonKeys = columns.map((c) => Buffer.from(`\n    "${c}": `));
const jsonOpen = Buffer.from('\n  {');
const jsonNextOpen = Buffer.from(',\n  {');
const jsonClose = Buffer.from('\n  }');
const jsonNull = Buffer.from('null');

function writeJson(table: RuleTable, rows: number, out: ByteWriter): void {
  if (rows === 0) {
    out.text('[]\n');
    return;
  }
  const joined = itemsetText(
    table,
    table.sets.itemNames.map((name) => JSON.stringify(name).slice(1, -1)),
  );
  const cell = cellBytes(table, (k) => `"${joined(k)}"`);
  out.text('[');
  for (let r = 0; r < rows; r++) {
    const m = measures(table, r);
    out.bytes(r === 0 ? jsonOpen : jsonNextOpen);
    out.bytes(jsonKeys[0]!);
    out.bytes(cell(table.antecedent[r]!));
    out.ascii(COMMA);
    out.bytes(jsonKeys[1]!);
    out.bytes(cell(table.consequent[r]!));
    for (let c = 0; c < 8; c++) {
      out.ascii(COMMA);
      out.bytes(jsonKeys[c + 2]!);
      if (c >= 5) out.integer(m[c]!);
      else if (Number.isNaN(m[c]!)) out.bytes(jsonNull);
      else out.sixDecimals(m[c]!);
    }
    out.bytes(jsonClose);
  }
  out.text('\n]\n');
}

/** As toTable in output.ts: names left-aligned, numbers right-aligned, four decimals. */
function writeTable(table: RuleTable, rows: number, out: ByteWriter): void {
  if (rows === 0) {
    out.text('(no rows)\n');
    return;
  }
  const joined = itemsetText(table, table.sets.itemNames);
  const cells: string[][] = columns.map(() => new Array<string>(rows));
  const widths = columns.map((c) => c.length);
  const number4 = (x: number) => (Number.isInteger(x) ? String(x) : String(Math.round(x * 10000) / 10000));
  for (let r = 0; r < rows; r++) {
    const m = measures(table, r);
    const row = [
      joined(table.antecedent[r]!),
      joined(table.consequent[r]!),
      ...Array.from(m, (x) => (Number.isNaN(x) ? '' : number4(x))),
    ];
    for (let c = 0; c < columns.length; c++) {
      const text = row[c]!;
      cells[c]![r] = text;
      const width = c < 2 ? widthOf(text) : text.length;
      if (width > widths[c]!) widths[c] = width;
    }
  }
  const pad = (text: string, c: number) => {
    const space = ' '.repeat(widths[c]! - (c < 2 ? widthOf(text) : text.length));
    return c < 2 ? text + space : space + text;
  };
  out.text(`${columns.map((c, i) => pad(c, i)).join('  ')}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (let r = 0; r < rows; r++) {
    let line = '\n';
    for (let c = 0; c < columns.length; c++) line += (c === 0 ? '' : '  ') + pad(cells[c]![r]!, c);
    out.text(line);
  }
  out.ascii(NEWLINE);
}

/** displayWidth, with a fast path for text without wide characters. */
function widthOf(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x1100) return displayWidth(text);
  return text.length;
}

// Writes a rule table as csv, json or a readable table, the same text formatRows(rules.map(ruleToRow))
// gives, built straight from the table's columns (no object per rule) and handed to `write` in chunks
// of about 256 kB: on T10I4D100K-sized output, formatting row objects cost more than mining. Rows are
// kept in an array and joined per chunk, not appended to one growing string: a string built by `+=`
// is a chain of thousands of small objects that all survive the young-generation collections.
import type { RuleTable } from '../mining/rules/index.ts';
import { displayWidth, type OutputFormat } from './output.ts';

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
const CHUNK = 1 << 18;

export function writeRuleTable(
  table: RuleTable,
  format: OutputFormat,
  write: (chunk: string) => void,
  limit = table.size,
): void {
  const rows = Math.min(limit, table.size);
  const out = new ChunkWriter(write);
  if (format === 'csv') writeCsv(table, rows, out);
  else if (format === 'json') writeJson(table, rows, out);
  else writeTable(table, rows, out);
  out.flush();
}

class ChunkWriter {
  private parts: string[] = [];
  private length = 0;
  constructor(private readonly write: (chunk: string) => void) {}
  add(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.length > 0) this.write(this.parts.join(''));
    this.parts = [];
    this.length = 0;
  }
}

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

function writeCsv(table: RuleTable, rows: number, out: ChunkWriter): void {
  if (rows === 0) return;
  const { itemNames, offsets } = table.sets;
  const escaped = itemNames.map((name) => name.replace(/"/g, '""'));
  const needsQuotes = itemNames.map((name) => /[",\n\r]/.test(name));
  const joined = itemsetText(table, escaped);
  // an itemset's cell is built once, however many rules it appears in (consequents especially)
  const cells: string[] = new Array(table.sets.size);
  const cell = (k: number) => {
    let text = cells[k];
    if (text === undefined) {
      const single = offsets[k + 1]! - offsets[k]! === 1;
      text = joined(k);
      cells[k] = text = single && !needsQuotes[table.sets.items[offsets[k]!]!] ? text : `"${text}"`;
    }
    return text;
  };
  out.add(columns.join(','));
  for (let r = 0; r < rows; r++) {
    const m = measures(table, r);
    out.add(
      `\n${cell(table.antecedent[r]!)},${cell(table.consequent[r]!)},${m[0]},${m[1]},${m[2]},${m[3]},` +
        `${Number.isNaN(m[4]!) ? '' : m[4]},${m[5]},${m[6]},${m[7]}`,
    );
  }
  out.add('\n');
}

function writeJson(table: RuleTable, rows: number, out: ChunkWriter): void {
  if (rows === 0) {
    out.add('[]\n');
    return;
  }
  const joined = itemsetText(
    table,
    table.sets.itemNames.map((name) => JSON.stringify(name).slice(1, -1)),
  );
  out.add('[');
  for (let r = 0; r < rows; r++) {
    const m = measures(table, r);
    out.add(
      `${r === 0 ? '' : ','}\n  {\n    "lhs": "${joined(table.antecedent[r]!)}",\n    "rhs": "${joined(table.consequent[r]!)}",` +
        `\n    "support": ${m[0]},\n    "confidence": ${m[1]},\n    "lift": ${m[2]},\n    "leverage": ${m[3]},` +
        `\n    "conviction": ${Number.isNaN(m[4]!) ? 'null' : m[4]},\n    "count": ${m[5]},\n    "lhs_count": ${m[6]},` +
        `\n    "rhs_count": ${m[7]}\n  }`,
    );
  }
  out.add('\n]\n');
}

/** As toTable in output.ts: names left-aligned, numbers right-aligned, four decimals. */
function writeTable(table: RuleTable, rows: number, out: ChunkWriter): void {
  if (rows === 0) {
    out.add('(no rows)\n');
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
  out.add(`${columns.map((c, i) => pad(c, i)).join('  ')}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (let r = 0; r < rows; r++) {
    let line = '\n';
    for (let c = 0; c < columns.length; c++) line += (c === 0 ? '' : '  ') + pad(cells[c]![r]!, c);
    out.add(line);
  }
  out.add('\n');
}

/** displayWidth, with a fast path for text without wide characters. */
function widthOf(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x1100) return displayWidth(text);
  return text.length;
}

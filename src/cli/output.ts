// Formats command results: a readable table by default, json or csv for machines.
import { rowsToCsv } from '../shared/csv-text.ts';
import { AppError } from '../shared/errors.ts';

export type OutputFormat = 'table' | 'json' | 'csv';

export function parseFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'table';
  if (format === 'table' || format === 'json' || format === 'csv') return format;
  throw new AppError('USAGE', `--format must be table, json or csv, not "${format}"`);
}

export function formatRows(rows: readonly Record<string, unknown>[], format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  // Printed output gets its newline from print(), as the table and JSON do.
  if (format === 'csv') return rowsToCsv(rows).replace(/\n$/, '');
  return toTable(rows);
}

/** Display width: CJK characters take two columns in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return width;
}

export function toTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((row) => columns.map((c) => formatCell(row[c])));
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((r) => displayWidth(r[i]!))));
  const numeric = columns.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] === null));
  const pad = (text: string, i: number) => {
    const space = ' '.repeat(widths[i]! - displayWidth(text));
    return numeric[i] ? space + text : text + space;
  };
  const lines = [columns.map(pad).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of cells) lines.push(row.map(pad).join('  '));
  return lines.join('\n');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10000) / 10000);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

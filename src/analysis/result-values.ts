// Narrowing warehouse values to the plain numbers and strings of a result, and changes between them.
import type { ResultRow } from './analysis-result.ts';

export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function relativeChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) {
    return null;
  }
  return (current - previous) / Math.abs(previous);
}

/** Rows narrowed to plain values (numbers, strings, null) for the result. */
export function toResultRows(rows: readonly Record<string, unknown>[]): ResultRow[] {
  return rows.map((row) => {
    const out: ResultRow = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] = typeof value === 'number' || typeof value === 'string' || value === null ? value : String(value);
    }
    return out;
  });
}

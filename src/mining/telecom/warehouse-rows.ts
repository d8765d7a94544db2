// Warehouse query rows as a raw table, so that the generic table pipeline (type inference, encoding,
// models) runs on warehouse data exactly as on a CSV file.
import type { Row } from '../../warehouse/index.ts';
import type { RawTable } from '../table/index.ts';

export function rowsToRawTable(rows: readonly Row[], source: string): RawTable {
  const header = rows.length ? Object.keys(rows[0]!) : [];
  const columns = header.map((name) => rows.map((row) => textOf(row[name])));
  return { source, header, columns, rowCount: rows.length, lines: Int32Array.from(rows, (_, i) => i + 1) };
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

// Inserts that always name their columns, so a table that gains a column never shifts values into
// the wrong place.
import type { SqlParam, Warehouse } from './warehouse.ts';

/** Inserts rows (all with the same columns) in multi-row statements. */
export async function insertRows(
  warehouse: Warehouse,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlParam[])[],
): Promise<void> {
  const chunk = Math.max(1, Math.floor(1000 / columns.length));
  const placeholder = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await warehouse.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => placeholder).join(', ')}`,
      part.flat(),
    );
  }
}

// Many rows into one statement through one JSON parameter (DuckDB's json_transform): far faster than
// thousands of placeholders for 100,000 assignments, and no value is ever spliced into the SQL.
import { type SqlParam, sqlLiteral, type Warehouse } from '../warehouse/index.ts';

export type ColumnTypes = Record<string, 'VARCHAR' | 'INTEGER' | 'TIMESTAMP' | 'DOUBLE'>;
const ROWS_PER_STATEMENT = 20_000;

export async function insertJsonRows(
  tx: Warehouse,
  table: string,
  columns: ColumnTypes,
  rows: readonly Record<string, SqlParam>[],
): Promise<void> {
  const names = Object.keys(columns).join(', ');
  const shape = sqlLiteral(JSON.stringify([columns]));
  for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
    await tx.run(
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM (SELECT unnest(json_transform(?::JSON, ${shape}), recursive := true))`,
      [JSON.stringify(rows.slice(from, from + ROWS_PER_STATEMENT))],
    );
  }
}

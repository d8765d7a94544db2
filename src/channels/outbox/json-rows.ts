// Many rows into one statement through one JSON parameter: DuckDB unpacks it with json_transform, which
// is an order of magnitude faster than thousands of bound placeholders and never splices values into SQL.
import { type SqlParam, sqlLiteral } from '../../warehouse/index.ts';

export type ColumnTypes = Record<string, 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'TIMESTAMP' | 'DOUBLE'>;

/** `SELECT …` yielding one row per object, columns typed as given; bind `rowsParam(rows)` to its `?`. */
export function selectJsonRows(columns: ColumnTypes): string {
  const shape = sqlLiteral(JSON.stringify([columns]));
  return `SELECT unnest(json_transform(?::JSON, ${shape}), recursive := true)`;
}

export function rowsParam(rows: readonly Record<string, SqlParam | undefined>[]): string {
  return JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

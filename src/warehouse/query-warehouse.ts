// What read-only domain code (KPIs, their dimension catalogue) needs of a warehouse, whichever engine
// holds it: the DuckDB file (Warehouse) or the ClickHouse cluster (ClickHouseWarehouse). Code that
// writes SQL text checks `engine` where the two dialects differ.
import type { Row, SqlParam } from './warehouse.ts';

export type WarehouseEngine = 'duckdb' | 'clickhouse';

export interface QueryWarehouse {
  readonly engine: WarehouseEngine;
  run(sql: string, params?: readonly SqlParam[]): Promise<void>;
  all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  one<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  scalar(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

export { Warehouse, withWarehouse, type Row, type SqlParam, type WarehouseOptions } from './warehouse.ts';
export { feedTables, SCHEMA_VERSION } from './schema.ts';
export type { QueryWarehouse, WarehouseEngine } from './query-warehouse.ts';
export { dataVersion } from './data-version.ts';
export { announceOwner, readOwner, type WarehouseOwner } from './warehouse-owner.ts';
export { insertRows } from './insert-rows.ts';
export { sqlIdentifier, sqlLiteral, sqlTimestamp } from './sql-text.ts';
export { completenessFeeds, dayCompletenessSql, lastCompleteDaySql } from './day-completeness-sql.ts';

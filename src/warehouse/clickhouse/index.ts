export { ClickHouseWarehouse, notOnClickHouse } from './clickhouse-warehouse.ts';
export { isClickHouseUrl, parseClickHouseUrl } from './clickhouse-url.ts';
export { loadDirectoryToClickHouse, clickhouseFileId } from './clickhouse-load.ts';
export { bindClickHouse, clickhouseLiteral } from './clickhouse-literal.ts';
export { cityHash64, shardOf } from './city-hash.ts';
export { clickhouseAggregateTables } from './clickhouse-aggregates.ts';

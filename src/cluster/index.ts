export { type ClickHouseShard, clusterName, startClickHouseShards, stopClickHouseShards } from './clickhouse-shards.ts';
export { type ClusterAddresses, readCluster, startCluster, stopCluster } from './cluster-folder.ts';
export { startNatsNodes, stopNatsNodes } from './nats-nodes.ts';

export { ClickHouseWarehouse } from './clickhouse-warehouse.ts';
export { isClickHouseUrl, parseClickHouseUrl } from './clickhouse-url.ts';
export { loadDirectoryToClickHouse, clickhouseFileId } from './clickhouse-load.ts';
export { bindClickHouse, clickhouseLiteral } from './clickhouse-literal.ts';
export { cityHash64, shardOf } from './city-hash.ts';
export { clickhouseAggregateTables } from './clickhouse-aggregates.ts';
export {
  refreshClickHouseSubscriberFacts,
  refreshClickHouseSubscriberFactsIfStale,
  subscriberFactsSchema,
} from './clickhouse-subscriber-facts.ts';
export { clickhouseBandSql } from '../subscriber-bands.ts';
export {
  pushRoundContacts,
  type RoundContact,
  roundContactsKey,
  roundContactsSchema,
} from './clickhouse-round-contacts.ts';
export {
  clickhouseMiningSchema,
  type MiningRows,
  type MiningValue,
  miningTables as clickhouseMiningTables,
  replaceMiningVersion,
} from './clickhouse-mining-tables.ts';
export {
  type MarketingMessage,
  marketingMessagesSchema,
  pushMarketingMessages,
  withMarketingMessages,
} from './clickhouse-marketing-messages.ts';

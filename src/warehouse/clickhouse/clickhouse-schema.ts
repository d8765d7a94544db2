// The warehouse's tables on ClickHouse (18.16 syntax, which current ClickHouse also takes). On every
// shard: a local MergeTree per detail table, partitioned by the file its rows came from (a re-run drops
// the file's partition and writes it again: replace, never double), and a Distributed table over them
// named like the DuckDB table, sharded by cityHash64(msisdn) so per-subscriber work stays on one shard.
// The small snapshots (cells, plans, services) are copied whole to every shard, so a shard joins them
// locally. The per-shard aggregates are summed through their Distributed tables: a per-subscriber count
// on one shard never counts a subscriber of another, so the sum over shards is exact.
import { clickhouseMiningSchema } from './clickhouse-mining-tables.ts';
import { clusterName } from './cluster-name.ts';

export interface ClickHouseTable {
  name: string;
  columns: readonly (readonly [name: string, type: string])[];
  /** Detail sharded by subscriber; snapshot copied to every shard; aggregate built per shard; registry on shard 1. */
  kind: 'detail' | 'snapshot' | 'aggregate' | 'registry';
  orderBy: string;
  /** The unit a re-run drops and writes again, when not the default of its kind (see clickhouseSchema). */
  partitionBy?: string;
}

const S = 'String';
const fileId = ['file_id', 'UInt64'] as const;
const money = 'Decimal(12, 2)';

export const detailTables: readonly ClickHouseTable[] = [
  {
    name: 'subscribers',
    kind: 'detail',
    orderBy: 'msisdn',
    columns: [
      fileId,
      ['msisdn', S],
      ['brand', S],
      ['region', S],
      ['county', S],
      ['plan_id', S],
      ['activated_on', 'Date'],
      ['birth_year', 'Int32'],
      ['gender', S],
      ['status', S],
      ['status_changed_on', 'Date'],
    ],
  },
  {
    name: 'subscriptions_opening',
    kind: 'detail',
    orderBy: '(msisdn, service_id)',
    columns: [fileId, ['msisdn', S], ['service_id', S], ['subscribed_on', 'Date'], ['channel', S], ['trial', 'UInt8']],
  },
  {
    name: 'orders',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [
      fileId,
      ['order_id', S],
      ['ts', 'DateTime'],
      ['msisdn', S],
      ['service_id', S],
      ['action', S],
      ['channel', S],
      ['trial', 'UInt8'],
      ['confirmed', 'UInt8'],
      ['campaign_id', S],
    ],
  },
  {
    name: 'billing',
    kind: 'detail',
    orderBy: '(msisdn, month)',
    columns: [
      fileId,
      ['msisdn', S],
      ['month', 'Date'],
      ['total_fee', money],
      ['voice_fee', money],
      ['sms_fee', money],
      ['data_fee', money],
      ['vas_fee', money],
    ],
  },
  {
    name: 'sms',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [
      fileId,
      ['ts', 'DateTime'],
      ['msisdn', S],
      ['peer', S],
      ['kind', S],
      ['service_id', S],
      ['forwarded', 'UInt8'],
    ],
  },
  {
    name: 'wap',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [fileId, ['ts', 'DateTime'], ['msisdn', S], ['host', S], ['service_id', S], ['bytes', 'Int64']],
  },
  {
    name: 'ivr',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [fileId, ['ts', 'DateTime'], ['msisdn', S], ['access_code', S], ['duration_s', 'Int32'], ['menu', S]],
  },
  {
    name: 'crbt',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [fileId, ['ts', 'DateTime'], ['msisdn', S], ['action', S], ['tone_id', S]],
  },
  {
    name: 'web',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [fileId, ['ts', 'DateTime'], ['msisdn', S], ['path', S], ['action', S]],
  },
  {
    name: 'signalling',
    kind: 'detail',
    orderBy: '(msisdn, ts)',
    columns: [
      fileId,
      ['ts', 'DateTime'],
      ['msisdn', S],
      ['event', S],
      ['cell_id', S],
      ['peer', S],
      ['duration_s', 'Int32'],
    ],
  },
  {
    name: 'cells',
    kind: 'snapshot',
    orderBy: 'cell_id',
    columns: [
      fileId,
      ['cell_id', S],
      ['lac', 'Int32'],
      ['ci', 'Int32'],
      ['name', S],
      ['lat', 'Float64'],
      ['lon', 'Float64'],
      ['region', S],
      ['county', S],
      ['area_type', S],
    ],
  },
  {
    name: 'plans',
    kind: 'snapshot',
    orderBy: 'plan_id',
    columns: [
      fileId,
      ['plan_id', S],
      ['name', S],
      ['brand', S],
      ['monthly_fee', money],
      ['voice_minutes', 'Int32'],
      ['sms', 'Int32'],
      ['data_mb', 'Int32'],
    ],
  },
  {
    name: 'services',
    kind: 'snapshot',
    orderBy: 'service_id',
    columns: [
      fileId,
      ['service_id', S],
      ['name', S],
      ['category', S],
      ['monthly_fee', money],
      ['trial_months', 'Int32'],
    ],
  },
];

const count = 'Int64';

export const aggregateTables: readonly ClickHouseTable[] = [
  {
    name: 'agg_area_day',
    kind: 'aggregate',
    orderBy: '(day, region, county, brand)',
    columns: [
      ['day', 'Date'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['subscribers_active', count],
      ['users_active', count],
      ['activations', count],
      ['closures', count],
    ],
  },
  {
    name: 'agg_area_service_day',
    kind: 'aggregate',
    orderBy: '(day, region, county, brand, plan_id, service_id)',
    columns: [
      ['day', 'Date'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['plan_id', S],
      ['service_id', S],
      ['holders', count],
      ['paying_holders', count],
      ['orders', count],
      ['cancels', count],
      ['trial_orders', count],
      ['unconfirmed_orders', count],
      ['users_active', count],
      ['usage_events', count],
      ['sms_mt', count],
      ['sms_forwards', count],
      ['wap_visits', count],
      ['ivr_calls', count],
      ['crbt_changes', count],
    ],
  },
  {
    name: 'agg_channel_service_day',
    kind: 'aggregate',
    orderBy: '(day, channel, service_id)',
    columns: [
      ['day', 'Date'],
      ['channel', S],
      ['service_id', S],
      ['county', S],
      ['brand', S],
      ['orders', count],
      ['cancels', count],
      ['unconfirmed_orders', count],
    ],
  },
  {
    name: 'agg_ivr_area_day',
    kind: 'aggregate',
    orderBy: '(day, region, county, brand, access_code)',
    columns: [
      ['day', 'Date'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['access_code', S],
      ['calls', count],
      ['callers', count],
      ['seconds', count],
    ],
  },
  {
    name: 'agg_cell_hour',
    kind: 'aggregate',
    orderBy: '(day, hour, cell_id)',
    columns: [
      ['day', 'Date'],
      ['hour', 'UInt8'],
      ['cell_id', S],
      ['events', count],
      ['subscribers', count],
      ['calls_out', count],
      ['calls_114', count],
      ['calls_12580', count],
    ],
  },
  {
    name: 'agg_segment_day',
    kind: 'aggregate',
    orderBy: '(day, region, county, brand, plan_id)',
    columns: [
      ['day', 'Date'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['plan_id', S],
      ['tenure_band', S],
      ['age_band', S],
      ['arpu_band', 'Nullable(String)'],
      ['subscribers_active', count],
      ['users_active', count],
    ],
  },
  {
    name: 'agg_billing_segment_month',
    kind: 'aggregate',
    orderBy: 'month',
    // Segment columns are NULL for a bill whose subscriber is unknown, as on DuckDB.
    columns: [
      ['month', 'Date'],
      ['region', 'Nullable(String)'],
      ['county', 'Nullable(String)'],
      ['brand', 'Nullable(String)'],
      ['plan_id', 'Nullable(String)'],
      ['tenure_band', 'Nullable(String)'],
      ['age_band', 'Nullable(String)'],
      ['arpu_band', 'Nullable(String)'],
      ['billed_subscribers', count],
      ['revenue', 'Decimal(18, 2)'],
      ['voice_fee', 'Decimal(18, 2)'],
      ['sms_fee', 'Decimal(18, 2)'],
      ['data_fee', 'Decimal(18, 2)'],
      ['vas_fee', 'Decimal(18, 2)'],
    ],
  },
  {
    name: 'agg_sms_area_day',
    kind: 'aggregate',
    orderBy: '(day, region, county, brand)',
    columns: [
      ['day', 'Date'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['p2p_sent', count],
      ['p2p_received', count],
      ['p2p_forwards', count],
      ['senders', count],
      ['forwarders', count],
    ],
  },
  {
    name: 'agg_cell_brand_day',
    kind: 'aggregate',
    orderBy: '(day, cell_id, brand)',
    columns: [
      ['day', 'Date'],
      ['cell_id', S],
      ['brand', S],
      ['subscribers', count],
      ['callers_114', count],
      ['callers_12580', count],
    ],
  },
  // Per subscriber x service x day: orders and use, as DuckDB's table of the same name (the columns the
  // ClickHouse analyses and rebuild read).
  {
    name: 'agg_subscriber_service_day',
    kind: 'aggregate',
    orderBy: '(msisdn, service_id, day)',
    columns: [
      ['day', 'Date'],
      ['msisdn', S],
      ['service_id', S],
      ['orders', count],
      ['cancels', count],
      ['trial_orders', count],
      ['sms_mt', count],
      ['sms_forwards', count],
      ['wap_visits', count],
      ['ivr_calls', count],
      ['crbt_changes', count],
      ['usage_events', count],
    ],
  },
  // Holding spells, one row per subscription (as DuckDB's `subscriptions`), with the subscriber's area
  // and plan beside it so the analyses filter without a join. Rebuilt whole: one partition.
  {
    name: 'subscriptions',
    kind: 'aggregate',
    orderBy: '(msisdn, service_id, started_on)',
    partitionBy: 'tuple()',
    columns: [
      ['msisdn', S],
      ['service_id', S],
      ['started_on', 'Date'],
      ['ended_on', 'Nullable(Date)'],
      ['channel', S],
      ['cancel_channel', 'Nullable(String)'],
      ['trial', 'UInt8'],
      ['trial_ends_on', 'Nullable(Date)'],
      ['from_opening', 'UInt8'],
      ['trial_uses', 'Nullable(Int64)'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['plan_id', S],
    ],
  },
  // Per subscriber x service x month: the days (bit d-1 for day d) held at day end, used, called by
  // IVR, visited by WAP, as on DuckDB; the subscriber's area beside it ('' when unknown).
  {
    name: 'agg_subscriber_service_month',
    kind: 'aggregate',
    orderBy: '(month, service_id, msisdn)',
    columns: [
      ['month', 'Date'],
      ['msisdn', S],
      ['service_id', S],
      ['held_days', 'UInt32'],
      ['used_days', 'UInt32'],
      ['ivr_days', 'UInt32'],
      ['wap_days', 'UInt32'],
      ['region', S],
      ['county', S],
      ['brand', S],
    ],
  },
  // One row per known subscriber: the spells of every service held, as parallel arrays (an open spell
  // ends on 2105-12-31), so "services held together on a day" is counted on each shard in one pass.
  {
    name: 'agg_subscriber_spells',
    kind: 'aggregate',
    orderBy: 'msisdn',
    partitionBy: 'tuple()',
    columns: [
      ['msisdn', S],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['service_ids', 'Array(String)'],
      ['started', 'Array(Date)'],
      ['ended', 'Array(Date)'],
    ],
  },
  // IVR calls per menu, hour, caller's area and the kind of area the call was made from (NULL when no
  // call_out in the signalling locates it), as DuckDB's agg_ivr_menu_hour.
  {
    name: 'agg_ivr_menu_hour',
    kind: 'aggregate',
    orderBy: '(day, hour, access_code, menu)',
    columns: [
      ['day', 'Date'],
      ['hour', 'UInt8'],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['area_type', 'Nullable(String)'],
      ['access_code', S],
      ['menu', S],
      ['calls', count],
      ['callers', count],
    ],
  },
  {
    name: 'agg_area_type_day',
    kind: 'aggregate',
    orderBy: '(day, area_type, region, county, brand)',
    columns: [
      ['day', 'Date'],
      ['area_type', S],
      ['region', S],
      ['county', S],
      ['brand', S],
      ['subscribers', count],
    ],
  },
];

export const registryTables: readonly ClickHouseTable[] = [
  {
    name: 'load_files',
    kind: 'registry',
    orderBy: 'file_name',
    columns: [
      fileId,
      ['file_name', S],
      ['feed', S],
      ['period', S],
      ['sha256', S],
      ['bytes', 'Int64'],
      ['rows_read', 'Int64'],
      ['rows_loaded', 'Int64'],
      ['rows_quarantined', 'Int64'],
      ['notes', S],
      ['loaded_at', 'DateTime'],
    ],
  },
  {
    name: 'quarantine',
    kind: 'registry',
    orderBy: '(file_name, line)',
    columns: [fileId, ['file_name', S], ['line', 'Int64'], ['field', S], ['reason', S], ['raw', S]],
  },
];

/** The local table a shard stores a sharded table's rows in. */
export function localTable(table: ClickHouseTable): string {
  return table.kind === 'detail' || table.kind === 'aggregate' ? `${table.name}_local` : table.name;
}

export function clickhouseSchema(database: string): string[] {
  const statements: string[] = [];
  for (const table of [...detailTables, ...aggregateTables, ...registryTables]) {
    const columns = table.columns.map(([name, type]) => `${name} ${type}`).join(', ');
    // Per file (detail, snapshots, registry by file name) or per month (aggregates): the unit a
    // re-run drops and writes again.
    const partition =
      table.partitionBy ??
      (table.kind === 'aggregate'
        ? `toYYYYMM(${table.columns[0]![0]})`
        : table.name === 'load_files'
          ? 'file_name'
          : 'file_id');
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${database}.${localTable(table)} (${columns}) ENGINE = MergeTree PARTITION BY ${partition} ORDER BY ${table.orderBy}`,
    );
    if (table.kind === 'detail')
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${database}.${table.name} AS ${database}.${localTable(table)} ENGINE = Distributed(${clusterName}, ${database}, ${localTable(table)}, cityHash64(msisdn))`,
      );
    if (table.kind === 'aggregate')
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${database}.${table.name} AS ${database}.${localTable(table)} ENGINE = Distributed(${clusterName}, ${database}, ${localTable(table)})`,
      );
  }
  // The mining results: written by `telmark train` on the cluster, read by the profile, audiences, stream.
  statements.push(...clickhouseMiningSchema(database));
  return statements;
}

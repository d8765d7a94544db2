// The marketing analysis's counts with the facts on a ClickHouse cluster: the marketing messages are
// read from the operational store (the DuckDB file beside the cluster, which holds the outbox), pushed
// to the cluster sharded by subscriber, and each shard joins its messages with its own subscribers and
// orders. Only counts per month, county, brand and source come back; they are summed here into the
// rows DuckDB's single query gives (same keys, same order, same ratios).
import { AppError } from '../shared/errors.ts';
import {
  type ClickHouseWarehouse,
  clickhouseLiteral,
  type MarketingMessage,
  withMarketingMessages,
} from '../warehouse/clickhouse/index.ts';
import type { QueryWarehouse, SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { ResultRow } from './analysis-result.ts';
import { filterClause } from './filter-clause.ts';

type ShardRow = {
  month: string;
  county: string | null;
  brand: string | null;
  source: string;
  messages: number;
  delivered_n: number;
  responded_n: number;
};

export interface MarketingVolumeRows {
  months: ResultRow[];
  counties: ResultRow[];
  brands: ResultRow[];
}

/** The outbox's marketing messages as the DuckDB query takes them. */
async function readMessages(state: QueryWarehouse): Promise<MarketingMessage[]> {
  const rows = await state.all<{
    message_id: string;
    source: string;
    subscriber: string;
    service_id: string | null;
    month: string;
    delivered: boolean;
    sent_at: string;
  }>(
    `SELECT message_id, source, subscriber, service_id,
            CAST(CAST(date_trunc('month', queued_at) AS DATE) AS VARCHAR) AS month, status = 'delivered' AS delivered,
            CAST(coalesce(final_at, submitted_at, queued_at) AS VARCHAR) AS sent_at
     FROM channel_outbox WHERE kind = 'marketing' ORDER BY message_id`,
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    source: r.source,
    subscriber: r.subscriber,
    serviceId: r.service_id,
    month: r.month,
    delivered: r.delivered,
    sentAt: r.sent_at,
  }));
}

/** One shard's counts: its messages, their subscribers' county and brand, and whether an order answered. */
function shardSql(key: string, windowDays: number, where: string): string {
  const k = clickhouseLiteral(key);
  const messages = `SELECT message_id, msisdn, month, source, delivered FROM marketing_messages_local WHERE push_key = ${k}`;
  // A delivered message answered by a subscribe of its service from the sending second for N days.
  const answered = `SELECT DISTINCT message_id, toUInt8(1) AS responded FROM (
      SELECT message_id, msisdn, service_id, sent_from FROM marketing_messages_local
      WHERE push_key = ${k} AND delivered = 1 AND has_service = 1
    ) ALL INNER JOIN (SELECT msisdn, service_id, ts FROM orders_local WHERE action = 'subscribe') USING (msisdn, service_id)
    WHERE ts >= sent_from AND ts < sent_from + ${Math.trunc(windowDays) * 86_400}`;
  // Counts named apart from their columns: an alias is visible in the whole SELECT on ClickHouse.
  return `SELECT month, county, brand, source, toInt64(count()) AS messages, toInt64(sum(delivered)) AS delivered_n,
      toInt64(sum(ifNull(responded, 0))) AS responded_n
    FROM (
      SELECT message_id, month, source, delivered, region, county, brand, responded FROM (
        SELECT message_id, month, source, delivered, region, county, brand FROM (${messages})
        ANY LEFT JOIN (SELECT msisdn, region, county, brand FROM subscribers_local) USING msisdn
      ) ANY LEFT JOIN (${answered}) USING message_id
    )
    WHERE 1${where}
    GROUP BY month, county, brand, source`;
}

/** Strings in DuckDB's order (its default collation compares the UTF-8 bytes). */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Rows `{key, source, messages, delivered, responded, success_rate, delivery_rate}` ordered by key, source. */
function rowsBy(rows: readonly ShardRow[], keyOf: (r: ShardRow) => string): ResultRow[] {
  const sums = new Map<
    string,
    { key: string; source: string; messages: number; delivered: number; responded: number }
  >();
  for (const r of rows) {
    const key = keyOf(r);
    const id = JSON.stringify([key, r.source]);
    const sum = sums.get(id) ?? { key, source: r.source, messages: 0, delivered: 0, responded: 0 };
    sum.messages += Number(r.messages);
    sum.delivered += Number(r.delivered_n);
    sum.responded += Number(r.responded_n);
    sums.set(id, sum);
  }
  return [...sums.values()]
    .sort((a, b) => byBytes(a.key, b.key) || byBytes(a.source, b.source))
    .map((s) => ({
      key: s.key,
      source: s.source,
      messages: s.messages,
      delivered: s.delivered,
      responded: s.responded,
      success_rate: s.delivered > 0 ? s.responded / s.delivered : null,
      delivery_rate: s.delivered / s.messages,
    }));
}

export async function marketingVolumeOnClickHouse(
  context: AnalysisContext,
  cluster: ClickHouseWarehouse,
  windowDays: number,
): Promise<MarketingVolumeRows> {
  if (!context.state) {
    throw new AppError(
      'WAREHOUSE_UNSUPPORTED',
      'the marketing analysis on the ClickHouse warehouse needs the operational store (the --db file holding the outbox)',
      { hint: 'run it with --db FILE beside --warehouse, as telmark analyze and telmark serve do; docs/scale-out.md' },
    );
  }
  const params: SqlParam[] = [];
  const where = filterClause(context, { region: 'region', county: 'county', brand: 'brand' }, params);
  const messages = await readMessages(context.state);
  const rows = await withMarketingMessages(cluster, messages, async (key) => {
    const all: ShardRow[] = [];
    for (const shard of cluster.shards)
      all.push(...(await cluster.allOn<ShardRow>(shard, shardSql(key, windowDays, where), params)));
    return all;
  });
  return {
    months: rowsBy(rows, (r) => r.month),
    counties: rowsBy(rows, (r) => r.county ?? ''),
    brands: rowsBy(rows, (r) => r.brand ?? 'other'),
  };
}

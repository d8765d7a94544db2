// Order/cancel channel sources (订/退来源分析): how the mix of channels that orders and cancellations
// come through changes over time, and how often what was ordered through each channel is cancelled.
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { AnalysisResult, ResultRow } from './analysis-result.ts';
import { filterClause } from './filter-clause.ts';
import { medianOfCounts } from './median-of-counts.ts';
import { metricRows } from './metric-rows.ts';
import { column, partialPeriodKeys, partialPeriodNote, periodColumn, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';

export async function channelAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const grain = context.grain;
  const [orders, cancels, byOrderChannel] = await Promise.all([
    metricRows(context, 'orders', [grain, 'channel']),
    metricRows(context, 'cancellations', [grain, 'channel']),
    cancelRateByOrderChannel(context),
  ]);
  const mix = (rows: Record<string, unknown>[]) => {
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(String(r[grain]), (totals.get(String(r[grain])) ?? 0) + (num(r.value) ?? 0));
    return rows
      .filter((r) => (num(r.value) ?? 0) > 0)
      .map((r) => ({
        period: String(r[grain]),
        channel: String(r.channel),
        count: num(r.value),
        share: (num(r.value) ?? 0) / (totals.get(String(r[grain])) || 1),
      }));
  };
  const orderMix = toResultRows(mix(orders));
  const cancelMix = toResultRows(mix(cancels));
  const periods = [...orderMix, ...cancelMix].map((r: ResultRow) => String(r.period));
  const partial = partialPeriodKeys(context, periods);
  const note = partialPeriodNote(context, periods);
  const mixColumns = (what: string, whatEn: string) => [
    periodColumn(context, periods),
    column('channel', '渠道', 'channel'),
    column('count', what, whatEn, 'count'),
    column('share', '占比', 'share', 'ratio'),
  ];
  return {
    kind: 'channels',
    title: text('订/退来源分析', 'Order and cancellation channels'),
    from: context.from,
    to: context.to,
    grain,
    sections: [
      {
        id: 'order-mix',
        title: text('订购渠道构成', 'Orders by channel'),
        ...(note ? { note } : {}),
        chart: { kind: 'stacked-bar', x: 'period', by: 'channel', value: 'count', partial },
        columns: mixColumns('订购量', 'orders'),
        rows: orderMix,
      },
      {
        id: 'cancel-mix',
        title: text('退订渠道构成', 'Cancellations by channel'),
        ...(note ? { note } : {}),
        chart: { kind: 'stacked-bar', x: 'period', by: 'channel', value: 'count', partial },
        columns: mixColumns('退订量', 'cancellations'),
        rows: cancelMix,
      },
      {
        id: 'order-channel-cancel-rate',
        title: text('各订购渠道的退订率', 'Cancellation rate by the channel of the order'),
        note: text(
          '期内经该渠道订购的业务,到期末已退订的比例;未确认 = 用户未二次确认的订购',
          'Of the subscriptions ordered through the channel in the range, the share cancelled by its end; unconfirmed = never confirmed by the subscriber',
        ),
        chart: { kind: 'bar', x: 'channel', values: ['orders', 'cancelled'], rightAxis: ['cancel_rate'] },
        columns: [
          column('channel', '订购渠道', 'order channel'),
          column('orders', '订购', 'orders', 'count'),
          column('cancelled', '已退订', 'cancelled', 'count'),
          column('cancel_rate', '退订率', 'cancellation rate', 'ratio'),
          column('median_days', '退订前天数(中位)', 'median days to cancel', 'per_user'),
          column('unconfirmed', '未确认订购', 'unconfirmed orders', 'count'),
        ],
        rows: byOrderChannel,
      },
    ],
  };
}

async function cancelRateByOrderChannel(context: AnalysisContext) {
  return context.warehouse.engine === 'clickhouse'
    ? cancelRateByOrderChannelClickHouse(context)
    : cancelRateByOrderChannelDuckDb(context);
}

async function cancelRateByOrderChannelDuckDb(context: AnalysisContext) {
  const params: SqlParam[] = [context.to, context.from, context.to];
  const where = filterClause(
    context,
    { county: 'u.county', brand: 'u.brand', service: 's.service_id', region: 'u.region' },
    params,
  );
  const unconfirmedParams: SqlParam[] = [context.from, context.to];
  const unconfirmedWhere = filterClause(
    context,
    { county: 'c.county', brand: 'c.brand', service: 'c.service_id' },
    unconfirmedParams,
  );
  const rows = await context.warehouse.all(
    `WITH started AS (
       SELECT s.channel, s.started_on, CASE WHEN s.ended_on <= CAST(? AS DATE) THEN s.ended_on END AS ended_on
       FROM subscriptions s JOIN subscribers u ON u.msisdn = s.msisdn
       WHERE NOT s.from_opening AND s.started_on BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
     ),
     unconfirmed AS (
       SELECT c.channel, sum(c.unconfirmed_orders) AS unconfirmed FROM agg_channel_service_day c
       WHERE c.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${unconfirmedWhere} GROUP BY ALL
     )
     SELECT st.channel, count(*) AS orders, count(st.ended_on) AS cancelled,
            count(st.ended_on) / count(*) AS cancel_rate,
            median(date_diff('day', st.started_on, st.ended_on)) AS median_days,
            coalesce(any_value(x.unconfirmed), 0) AS unconfirmed
     FROM started st LEFT JOIN unconfirmed x ON x.channel = st.channel
     GROUP BY st.channel ORDER BY orders DESC, st.channel`,
    [...params, ...unconfirmedParams],
  );
  return toResultRows(rows);
}

/** Not cancelled by the end of the range, in the histogram of days to cancel. */
const NOT_CANCELLED = -1;

/**
 * The same on ClickHouse: the spells of each shard counted per channel and days to cancel (a few
 * hundred rows at most, summed over the shards), the median taken here from that histogram as DuckDB's
 * median() takes it (the mean of the two middle values for an even count).
 */
async function cancelRateByOrderChannelClickHouse(context: AnalysisContext) {
  const params: SqlParam[] = [context.to, context.from, context.to];
  const where = filterClause(
    context,
    { county: 'county', brand: 'brand', service: 'service_id', region: 'region' },
    params,
  );
  const unconfirmedParams: SqlParam[] = [context.from, context.to];
  const unconfirmedWhere = filterClause(
    context,
    { county: 'c.county', brand: 'c.brand', service: 'c.service_id' },
    unconfirmedParams,
  );
  const [histogram, unconfirmed] = await Promise.all([
    context.warehouse.all<{ channel: string; days: number; spells: number }>(
      `SELECT channel, if(ifNull(ended_on, toDate('2105-12-31')) <= toDate(?),
                          toRelativeDayNum(assumeNotNull(ended_on)) - toRelativeDayNum(started_on), ${NOT_CANCELLED}) AS days,
              count() AS spells
       FROM subscriptions
       WHERE from_opening = 0 AND started_on BETWEEN toDate(?) AND toDate(?)${where}
       GROUP BY channel, days ORDER BY channel, days`,
      params,
    ),
    context.warehouse.all<{ channel: string; unconfirmed: number }>(
      `SELECT c.channel AS channel, sum(c.unconfirmed_orders) AS unconfirmed FROM agg_channel_service_day c
       WHERE c.day BETWEEN toDate(?) AND toDate(?)${unconfirmedWhere} GROUP BY channel`,
      unconfirmedParams,
    ),
  ]);
  const unconfirmedOf = new Map(unconfirmed.map((u) => [u.channel, Number(u.unconfirmed)]));
  const byChannel = new Map<string, { days: number; spells: number }[]>();
  for (const row of histogram) {
    const rows = byChannel.get(row.channel) ?? [];
    rows.push({ days: Number(row.days), spells: Number(row.spells) });
    byChannel.set(row.channel, rows);
  }
  const rows = [...byChannel].map(([channel, counts]) => {
    const orders = counts.reduce((t, c) => t + c.spells, 0);
    const ended = counts.filter((c) => c.days !== NOT_CANCELLED);
    const cancelled = ended.reduce((t, c) => t + c.spells, 0);
    return {
      channel,
      orders,
      cancelled,
      cancel_rate: cancelled / orders,
      median_days: medianOfCounts(ended.map((c) => ({ value: c.days, count: c.spells }))),
      unconfirmed: unconfirmedOf.get(channel) ?? 0,
    };
  });
  rows.sort((a, b) => b.orders - a.orders || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
  return toResultRows(rows);
}

// Order/cancel channel sources (订/退来源分析): how the mix of channels that orders and cancellations
// come through changes over time, and how often what was ordered through each channel is cancelled.
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { AnalysisResult, ResultRow } from './analysis-result.ts';
import { filterClause } from './filter-clause.ts';
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
     GROUP BY st.channel ORDER BY orders DESC`,
    [...params, ...unconfirmedParams],
  );
  return toResultRows(rows);
}

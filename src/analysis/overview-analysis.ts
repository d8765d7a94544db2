// Overview: headline KPIs with their change against the previous period of the same length, the
// subscriber and order trends, and the area breakdown (region, then county on drill-down).
import { type AnalysisContext, areaLevel } from './analysis-context.ts';
import type { AnalysisResult } from './analysis-result.ts';
import { type HeadlineSpec, headlines } from './headlines.ts';
import { metricRows } from './metric-rows.ts';
import { column, partialPeriodKeys, partialPeriodNote, periodColumn, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';

/** The overview's cards: each a figure a marketer can quote, with its definition from the metric. */
export const overviewHeadlines: readonly HeadlineSpec[] = [
  { key: 'subscribers', metric: 'subscribers', unit: 'count' },
  { key: 'active_rate', metric: 'active_rate', unit: 'ratio' },
  { key: 'orders', metric: 'orders', unit: 'count' },
  { key: 'cancellations', metric: 'cancellations', unit: 'count' },
  { key: 'net_adds', metric: 'net_adds', unit: 'count', signed: true },
  { key: 'churn_rate', metric: 'churn_rate', unit: 'ratio' },
  { key: 'arpu', metric: 'arpu', unit: 'yuan' },
  { key: 'vas_revenue', metric: 'vas_revenue', unit: 'yuan' },
];

export async function overviewAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const grain = context.grain;
  const level = areaLevel(context);
  const [heads, subscribers, active, orders, cancels, areaSubscribers, areaActive, areaOrders, areaCancels] =
    await Promise.all([
      headlines(context, overviewHeadlines),
      metricRows(context, 'subscribers', [grain]),
      metricRows(context, 'active_users', [grain]),
      metricRows(context, 'orders', [grain]),
      metricRows(context, 'cancellations', [grain]),
      metricRows(context, 'subscribers', [level]),
      metricRows(context, 'active_rate', [level]),
      metricRows(context, 'orders', [level]),
      metricRows(context, 'cancellations', [level]),
    ]);
  const byPeriod = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r[grain]), num(r.value)]));
  const activeBy = byPeriod(active);
  const ordersBy = byPeriod(orders);
  const cancelsBy = byPeriod(cancels);
  const trend = subscribers.map((r) => ({
    period: String(r[grain]),
    subscribers: num(r.value),
    active_users: activeBy.get(String(r[grain])) ?? null,
    orders: ordersBy.get(String(r[grain])) ?? 0,
    cancellations: cancelsBy.get(String(r[grain])) ?? 0,
    net_adds: (ordersBy.get(String(r[grain])) ?? 0) - (cancelsBy.get(String(r[grain])) ?? 0),
  }));
  const byArea = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r[level]), num(r.value)]));
  const activeRate = byArea(areaActive);
  const areaOrderBy = byArea(areaOrders);
  const areaCancelBy = byArea(areaCancels);
  const areas = areaSubscribers.map((r) => {
    const area = String(r[level]);
    const o = areaOrderBy.get(area) ?? 0;
    const c = areaCancelBy.get(area) ?? 0;
    return {
      area,
      subscribers: num(r.value),
      active_rate: activeRate.get(area) ?? null,
      orders: o,
      cancellations: c,
      net_adds: o - c,
    };
  });
  const periods = trend.map((r) => r.period);
  const period = periodColumn(context, periods);
  const partial = partialPeriodKeys(context, periods);
  const note = partialPeriodNote(context, periods);
  return {
    kind: 'overview',
    title: text('总览', 'Overview'),
    from: context.from,
    to: context.to,
    grain,
    headlines: heads,
    sections: [
      {
        id: 'subscriber-trend',
        title: text('在网与活跃用户趋势', 'Subscribers and daily active users'),
        ...(note ? { note } : {}),
        chart: { kind: 'line', x: 'period', values: ['subscribers', 'active_users'], partial },
        columns: [
          period,
          column('subscribers', '在网用户', 'subscribers', 'count'),
          column('active_users', '日均活跃用户', 'daily active users', 'count'),
        ],
        rows: toResultRows(
          trend.map(({ period, subscribers, active_users }) => ({ period, subscribers, active_users })),
        ),
      },
      {
        id: 'order-trend',
        title: text('订购、退订与净增', 'Orders, cancellations and net adds'),
        ...(note ? { note } : {}),
        chart: { kind: 'bar', x: 'period', values: ['orders', 'cancellations', 'net_adds'], partial },
        columns: [
          period,
          column('orders', '订购', 'orders', 'count'),
          column('cancellations', '退订', 'cancellations', 'count'),
          column('net_adds', '净增', 'net adds', 'count'),
        ],
        rows: toResultRows(
          trend.map(({ period, orders, cancellations, net_adds }) => ({ period, orders, cancellations, net_adds })),
        ),
      },
      {
        id: 'areas',
        title: level === 'region' ? text('各地市', 'By region') : text('各区县', 'By county'),
        chart: { kind: 'bar', x: 'area', values: ['subscribers'] },
        drill: level === 'region' ? { column: 'area', filter: 'region' } : undefined,
        columns: [
          column('area', level === 'region' ? '地市' : '区县', level, undefined, { dimension: level }),
          column('subscribers', '在网用户', 'subscribers', 'count'),
          column('active_rate', '活跃率', 'active rate', 'ratio'),
          column('orders', '订购', 'orders', 'count'),
          column('cancellations', '退订', 'cancellations', 'count'),
          column('net_adds', '净增', 'net adds', 'count'),
        ],
        rows: toResultRows(areas),
      },
    ],
  };
}

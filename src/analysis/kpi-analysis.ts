// KPI analysis (业务指标分析): penetration of each service, orders and cancellations, net adds, and
// the trends with their period-over-period change.
import { type AnalysisContext, areaLevel } from './analysis-context.ts';
import type { AnalysisResult, ResultRow } from './analysis-result.ts';
import { previousRange } from './date-ranges.ts';
import { type HeadlineSpec, headlines } from './headlines.ts';
import { metricRows } from './metric-rows.ts';
import { column, partialPeriodKeys, partialPeriodNote, periodColumn, text } from './result-columns.ts';
import { num, relativeChange, toResultRows } from './result-values.ts';

/**
 * Holders summed over services (126 % "penetration") and cancellations over orders (142 % "rate") are
 * no figures to quote: the cards say services held per subscriber, and cancellations per subscription
 * held, each with its definition.
 */
export const kpiHeadlines: readonly HeadlineSpec[] = [
  { key: 'subscribers', metric: 'subscribers', unit: 'count' },
  {
    key: 'services_per_subscriber',
    metric: 'service_subscribers',
    per: 'subscribers',
    unit: 'per_user',
    label: { zh: '人均订购业务数', en: 'Services held per subscriber' },
    definition: {
      zh: '期末各业务订购关系数之和 / 期末在网用户数(一人可订多项业务,各业务普及率见下表)',
      en: 'Service subscriptions held at the end of the period / subscribers (one subscriber may hold several; penetration per service below)',
    },
  },
  { key: 'orders', metric: 'orders', unit: 'count' },
  { key: 'cancellations', metric: 'cancellations', unit: 'count' },
  { key: 'net_adds', metric: 'net_adds', unit: 'count', signed: true },
  {
    key: 'cancellation_share',
    metric: 'cancellations',
    per: 'service_subscribers',
    unit: 'ratio',
    label: { zh: '业务退订率', en: 'Cancellations per subscription' },
    definition: {
      zh: '期内退订次数 / 期末业务订购关系数',
      en: 'Cancellations in the period / service subscriptions held at its end',
    },
  },
];

export async function kpiAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const grain = context.grain;
  const level = areaLevel(context);
  const previous = previousRange(context.from, context.to);
  const hasPrevious = previous.to >= context.firstDay;
  const [
    heads,
    subscribers,
    active,
    orders,
    cancels,
    penetration,
    penetrationBefore,
    serviceOrders,
    serviceCancels,
    trials,
    areaPenetration,
  ] = await Promise.all([
    headlines(context, kpiHeadlines),
    metricRows(context, 'subscribers', [grain]),
    metricRows(context, 'active_users', [grain]),
    metricRows(context, 'orders', [grain]),
    metricRows(context, 'cancellations', [grain]),
    metricRows(context, 'penetration', ['service']),
    hasPrevious ? metricRows(context, 'penetration', ['service'], previous) : Promise.resolve([]),
    metricRows(context, 'orders', ['service']),
    metricRows(context, 'cancellations', ['service']),
    metricRows(context, 'trial_orders', ['service']),
    metricRows(context, 'penetration', [level, 'service']),
  ]);

  const valueBy = (rows: Record<string, unknown>[], key: string) =>
    new Map(rows.map((r) => [String(r[key]), num(r.value)]));
  const activeBy = valueBy(active, grain);
  const ordersBy = valueBy(orders, grain);
  const cancelsBy = valueBy(cancels, grain);
  const trend: ResultRow[] = [];
  for (const [index, row] of subscribers.entries()) {
    const period = String(row[grain]);
    const o = ordersBy.get(period) ?? 0;
    const c = cancelsBy.get(period) ?? 0;
    const prior = index > 0 ? trend[index - 1]! : undefined;
    const current: ResultRow = {
      period,
      subscribers: num(row.value),
      active_users: activeBy.get(period) ?? null,
      orders: o,
      cancellations: c,
      net_adds: o - c,
    };
    current.subscribers_change = relativeChange(num(current.subscribers), num(prior?.subscribers));
    current.active_users_change = relativeChange(num(current.active_users), num(prior?.active_users));
    current.orders_change = relativeChange(o, num(prior?.orders));
    current.cancellations_change = relativeChange(c, num(prior?.cancellations));
    trend.push(current);
  }

  const before = valueBy(penetrationBefore, 'service');
  const cancelsOf = valueBy(serviceCancels, 'service');
  const ordersOf = valueBy(serviceOrders, 'service');
  const trialsOf = valueBy(trials, 'service');
  const services = penetration.map((r) => {
    const service = String(r.service);
    const o = ordersOf.get(service) ?? 0;
    const c = cancelsOf.get(service) ?? 0;
    return {
      service,
      holders: num(r.holders),
      penetration: num(r.value),
      // Percentage points: the relative change of a rate reads as a change of the rate itself.
      penetration_change:
        num(r.value) !== null && (before.get(service) ?? null) !== null
          ? (num(r.value) ?? 0) - (before.get(service) ?? 0)
          : null,
      orders: o,
      trial_orders: trialsOf.get(service) ?? 0,
      cancellations: c,
      net_adds: o - c,
      cancel_rate: o > 0 ? c / o : null,
    };
  });
  const periods = trend.map((r) => String(r.period));
  const note = partialPeriodNote(context, periods);
  const change = (key: string, zh: string, en: string) => column(key, `${zh}环比`, `${en} vs previous`, 'ratio');
  return {
    kind: 'kpi',
    title: text('业务指标分析', 'KPI analysis'),
    from: context.from,
    to: context.to,
    grain,
    headlines: heads,
    sections: [
      {
        id: 'trend',
        title: text('订购、退订与净增趋势', 'Orders, cancellations and net adds over time'),
        ...(note ? { note } : {}),
        chart: {
          kind: 'line',
          x: 'period',
          values: ['orders', 'cancellations', 'net_adds'],
          partial: partialPeriodKeys(context, periods),
        },
        columns: [
          periodColumn(context, periods),
          column('subscribers', '在网用户', 'subscribers', 'count'),
          change('subscribers_change', '在网用户', 'subscribers'),
          column('active_users', '日均活跃', 'daily active', 'count'),
          change('active_users_change', '活跃', 'active'),
          column('orders', '订购', 'orders', 'count'),
          change('orders_change', '订购', 'orders'),
          column('cancellations', '退订', 'cancellations', 'count'),
          change('cancellations_change', '退订', 'cancellations'),
          column('net_adds', '净增', 'net adds', 'count'),
        ],
        rows: trend,
      },
      {
        id: 'penetration',
        title: text('各业务普及率(期末)', 'Penetration by service (end of period)'),
        note: text(
          '普及率 = 业务用户数 / 在网用户数(期末);变化为百分点,对比上一个同长度时段',
          'Penetration = holders / subscribers at the end of the period; change in percentage points against the previous period of equal length',
        ),
        chart: { kind: 'bar', x: 'service', values: ['penetration'], horizontal: true },
        columns: [
          column('service', '业务', 'service'),
          column('holders', '业务用户', 'holders', 'count'),
          column('penetration', '普及率', 'penetration', 'ratio'),
          column('penetration_change', '普及率变化', 'penetration change', 'points'),
          column('orders', '订购', 'orders', 'count'),
          column('trial_orders', '赠送订购', 'trial orders', 'count'),
          column('cancellations', '退订', 'cancellations', 'count'),
          column('net_adds', '净增', 'net adds', 'count'),
          column('cancel_rate', '退订/订购比', 'cancellations per order', 'ratio'),
        ],
        rows: toResultRows(services),
      },
      {
        id: 'penetration-by-area',
        title:
          level === 'region'
            ? text('地市 × 业务普及率', 'Penetration by region and service')
            : text('区县 × 业务普及率', 'Penetration by county and service'),
        chart: { kind: 'heatmap', x: 'service', y: 'area', value: 'penetration' },
        drill: level === 'region' ? { column: 'area', filter: 'region' } : undefined,
        columns: [
          column('area', level === 'region' ? '地市' : '区县', level, undefined, { dimension: level }),
          column('service', '业务', 'service'),
          column('holders', '业务用户', 'holders', 'count'),
          column('penetration', '普及率', 'penetration', 'ratio'),
        ],
        rows: toResultRows(
          areaPenetration.map((r) => ({
            area: String(r[level]),
            service: String(r.service),
            holders: num(r.holders),
            penetration: num(r.value),
          })),
        ),
      },
    ],
  };
}

// Every KPI, declared once: labels, unit, the dimensions it may be broken down by, and its formula
// over the measures of the fact sources. Some KPIs have several variants, tried in order: the first
// whose sources know every requested dimension is used (subscribers by county come from
// agg_area_day; subscribers by plan or age band from agg_segment_day).
import type { Bilingual, DimensionName } from './dimensions.ts';
import type { SourceName } from './fact-sources.ts';

export type MetricUnit = 'count' | 'ratio' | 'yuan' | 'per_user' | 'seconds';

/** How a per-day measure becomes one value per period: a flow adds up, a stock is taken at the period's last day. */
export type PeriodAggregate = 'sum' | 'last' | 'daily_avg';

export type Formula =
  | { op: 'measure'; source: SourceName; measure: string; aggregate: PeriodAggregate }
  | { op: 'ratio' | 'minus' | 'plus'; left: Formula; right: Formula };

export interface MetricDefinition {
  name: string;
  label: Bilingual;
  description: Bilingual;
  unit: MetricUnit;
  /** Which way is good for the business (a headline colours its change by it); absent: neither. */
  better?: 'up' | 'down';
  dimensions: readonly DimensionName[];
  variants: readonly Formula[];
}

const flow = (source: SourceName, measure: string): Formula => ({ op: 'measure', source, measure, aggregate: 'sum' });
const stock = (source: SourceName, measure: string): Formula => ({ op: 'measure', source, measure, aggregate: 'last' });
const dailyAvg = (source: SourceName, measure: string): Formula => ({
  op: 'measure',
  source,
  measure,
  aggregate: 'daily_avg',
});
const ratio = (left: Formula, right: Formula): Formula => ({ op: 'ratio', left, right });
const minus = (left: Formula, right: Formula): Formula => ({ op: 'minus', left, right });
const plus = (left: Formula, right: Formula): Formula => ({ op: 'plus', left, right });

const time: readonly DimensionName[] = ['day', 'week', 'month'];
const area: readonly DimensionName[] = ['region', 'county', 'brand'];
const profile: readonly DimensionName[] = ['plan', 'arpu_band', 'tenure_band', 'age_band'];
const service: readonly DimensionName[] = ['service', 'service_category'];

const subscribersArea = stock('area_day', 'subscribers_active');
const subscribersSegment = stock('segment_day', 'subscribers_active');

export const metricDefinitions: readonly MetricDefinition[] = [
  {
    name: 'subscribers',
    label: { zh: '在网用户数', en: 'Subscribers' },
    description: { zh: '期末在网(未销户)用户数', en: 'Subscribers not closed at the end of the period' },
    unit: 'count',
    better: 'up',
    dimensions: [...time, ...area, ...profile],
    variants: [subscribersArea, subscribersSegment],
  },
  {
    name: 'activations',
    label: { zh: '新入网用户', en: 'Activations' },
    description: { zh: '期内入网用户数', en: 'Subscribers activated in the period' },
    unit: 'count',
    better: 'up',
    dimensions: [...time, ...area],
    variants: [flow('area_day', 'activations')],
  },
  {
    name: 'closures',
    label: { zh: '销户用户', en: 'Closures' },
    description: { zh: '期内销户用户数', en: 'Accounts closed in the period' },
    unit: 'count',
    better: 'down',
    dimensions: [...time, ...area],
    variants: [flow('area_day', 'closures')],
  },
  {
    name: 'churn_rate',
    label: { zh: '离网率', en: 'Churn rate' },
    description: {
      zh: '期内销户数 / 期初用户数(期末在网 + 期内销户)',
      en: 'Closures / subscribers at the start (subscribers at the end + closures)',
    },
    unit: 'ratio',
    better: 'down',
    dimensions: [...time, ...area],
    variants: [ratio(flow('area_day', 'closures'), plus(subscribersArea, flow('area_day', 'closures')))],
  },
  {
    name: 'active_users',
    label: { zh: '日均活跃用户', en: 'Daily active users' },
    description: { zh: '期内日均有使用行为的用户数', en: 'Users with any usage on a day, averaged over the period' },
    unit: 'count',
    better: 'up',
    dimensions: [...time, ...area, ...profile],
    variants: [dailyAvg('area_day', 'users_active'), dailyAvg('segment_day', 'users_active')],
  },
  {
    name: 'active_rate',
    label: { zh: '活跃率', en: 'Active rate' },
    description: { zh: '日均活跃用户 / 在网用户', en: 'Daily active users / subscribers' },
    unit: 'ratio',
    better: 'up',
    dimensions: [...time, ...area, ...profile],
    variants: [
      ratio(dailyAvg('area_day', 'users_active'), dailyAvg('area_day', 'subscribers_active')),
      ratio(dailyAvg('segment_day', 'users_active'), dailyAvg('segment_day', 'subscribers_active')),
    ],
  },
  {
    name: 'service_subscribers',
    label: { zh: '业务用户数', en: 'Service subscribers' },
    description: { zh: '期末订有该业务的用户数', en: 'Holders of the service at the end of the period' },
    unit: 'count',
    better: 'up',
    dimensions: [...time, ...area, 'plan', ...service],
    variants: [stock('area_service_day', 'holders')],
  },
  {
    name: 'penetration',
    label: { zh: '普及率', en: 'Penetration' },
    description: { zh: '业务用户数 / 在网用户数(期末)', en: 'Service holders / subscribers, at the end of the period' },
    unit: 'ratio',
    better: 'up',
    dimensions: [...time, ...area, 'plan', ...service],
    variants: [
      ratio(stock('area_service_day', 'holders'), subscribersArea),
      ratio(stock('area_service_day', 'holders'), subscribersSegment),
    ],
  },
  {
    name: 'orders',
    label: { zh: '订购量', en: 'Orders' },
    description: { zh: '期内业务订购次数', en: 'Service subscriptions ordered in the period' },
    unit: 'count',
    better: 'up',
    dimensions: [...time, ...area, 'plan', ...service, 'channel'],
    variants: [flow('area_service_day', 'orders'), flow('channel_service_day', 'orders')],
  },
  {
    name: 'cancellations',
    label: { zh: '退订量', en: 'Cancellations' },
    description: { zh: '期内业务退订次数', en: 'Service subscriptions cancelled in the period' },
    unit: 'count',
    better: 'down',
    dimensions: [...time, ...area, 'plan', ...service, 'channel'],
    variants: [flow('area_service_day', 'cancels'), flow('channel_service_day', 'cancels')],
  },
  {
    name: 'net_adds',
    label: { zh: '净增订购', en: 'Net adds' },
    description: { zh: '订购量 - 退订量', en: 'Orders minus cancellations' },
    unit: 'count',
    better: 'up',
    dimensions: [...time, ...area, 'plan', ...service, 'channel'],
    variants: [
      minus(flow('area_service_day', 'orders'), flow('area_service_day', 'cancels')),
      minus(flow('channel_service_day', 'orders'), flow('channel_service_day', 'cancels')),
    ],
  },
  {
    name: 'cancel_rate',
    label: { zh: '退订率', en: 'Cancellation rate' },
    description: { zh: '退订量 / 订购量', en: 'Cancellations / orders' },
    unit: 'ratio',
    better: 'down',
    dimensions: [...time, ...area, 'plan', ...service, 'channel'],
    variants: [
      ratio(flow('area_service_day', 'cancels'), flow('area_service_day', 'orders')),
      ratio(flow('channel_service_day', 'cancels'), flow('channel_service_day', 'orders')),
    ],
  },
  {
    name: 'trial_orders',
    label: { zh: '赠送订购', en: 'Trial orders' },
    description: { zh: '带免费试用期的订购次数', en: 'Orders that came with free trial months' },
    unit: 'count',
    dimensions: [...time, ...area, 'plan', ...service],
    variants: [flow('area_service_day', 'trial_orders')],
  },
  {
    name: 'unconfirmed_orders',
    label: { zh: '未确认订购', en: 'Unconfirmed orders' },
    description: { zh: '未经用户二次确认的订购', en: 'Orders the subscriber never confirmed' },
    unit: 'count',
    better: 'down',
    dimensions: [...time, ...area, 'plan', ...service, 'channel'],
    variants: [flow('area_service_day', 'unconfirmed_orders'), flow('channel_service_day', 'unconfirmed_orders')],
  },
  {
    name: 'service_active_rate',
    label: { zh: '业务活跃率', en: 'Service active rate' },
    description: { zh: '日均使用该业务的用户 / 业务用户数', en: 'Daily users of the service / its holders' },
    unit: 'ratio',
    better: 'up',
    dimensions: [...time, ...area, 'plan', ...service],
    variants: [ratio(dailyAvg('area_service_day', 'service_users_active'), dailyAvg('area_service_day', 'holders'))],
  },
  {
    name: 'revenue',
    label: { zh: '出账收入', en: 'Revenue' },
    description: { zh: '月出账总收入(元)', en: 'Billed revenue (yuan)' },
    unit: 'yuan',
    better: 'up',
    dimensions: ['month', ...area, ...profile],
    variants: [flow('billing_month', 'revenue')],
  },
  {
    name: 'vas_revenue',
    label: { zh: '增值业务收入', en: 'VAS revenue' },
    description: { zh: '月出账增值业务收入(元)', en: 'Billed value-added-service revenue (yuan)' },
    unit: 'yuan',
    better: 'up',
    dimensions: ['month', ...area, ...profile],
    variants: [flow('billing_month', 'vas_revenue')],
  },
  {
    name: 'arpu',
    label: { zh: 'ARPU', en: 'ARPU' },
    description: { zh: '每用户月均收入(元)', en: 'Average revenue per billed subscriber per month (yuan)' },
    unit: 'yuan',
    better: 'up',
    dimensions: ['month', ...area, ...profile],
    variants: [ratio(flow('billing_month', 'revenue'), flow('billing_month', 'billed_subscribers'))],
  },
  {
    name: 'vas_arpu',
    label: { zh: '增值业务 ARPU', en: 'VAS ARPU' },
    description: { zh: '每用户月均增值业务收入(元)', en: 'VAS revenue per billed subscriber per month (yuan)' },
    unit: 'yuan',
    better: 'up',
    dimensions: ['month', ...area, ...profile],
    variants: [ratio(flow('billing_month', 'vas_revenue'), flow('billing_month', 'billed_subscribers'))],
  },
  {
    name: 'ivr_calls',
    label: { zh: '语音增值呼叫量', en: 'IVR calls' },
    description: { zh: '拨打 12580、114 等接入号的次数', en: 'Calls to 12580, 114 and other access codes' },
    unit: 'count',
    dimensions: [...time, ...area, 'access_code'],
    variants: [flow('ivr_area_day', 'ivr_calls')],
  },
  {
    name: 'calls_12580',
    label: { zh: '12580 呼叫量', en: '12580 calls' },
    description: { zh: '在各类区域内拨打 12580 的次数(信令)', en: 'Calls to 12580 by the area they were made in' },
    unit: 'count',
    dimensions: [...time, 'region', 'county', 'area_type'],
    variants: [flow('cell_hour', 'calls_12580')],
  },
  {
    name: 'p2p_sms',
    label: { zh: '点对点短信发送量', en: 'Person-to-person SMS sent' },
    description: {
      zh: '用户发出的点对点短信条数(含转发)',
      en: 'Person-to-person messages subscribers sent, forwards included',
    },
    unit: 'count',
    dimensions: [...time, ...area],
    variants: [flow('sms_area_day', 'p2p_sent')],
  },
  {
    name: 'p2p_forward_rate',
    label: { zh: '点对点短信转发率', en: 'P2P SMS forward rate' },
    description: {
      zh: '转发的点对点短信 / 发出的点对点短信;不同于手机报转发率(转发 / 下发的手机报)',
      en: 'Forwarded person-to-person messages / person-to-person messages sent; not the news forward rate (forwards / news pushed)',
    },
    unit: 'ratio',
    dimensions: [...time, ...area],
    variants: [ratio(flow('sms_area_day', 'p2p_forwards'), flow('sms_area_day', 'p2p_sent'))],
  },
];

export const metricsByName: ReadonlyMap<string, MetricDefinition> = new Map(metricDefinitions.map((m) => [m.name, m]));

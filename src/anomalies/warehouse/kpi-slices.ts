// The KPI x dimension slices the warehouse detectors watch, each read from a derived aggregate
// table (never the raw detail): one query per family returns every slice's daily values.
import type { Bilingual } from '../../metrics/index.ts';

export type SliceDimension = 'channel' | 'service' | 'county' | 'brand' | 'tenure_band';

export interface SliceFamily {
  kpi: string;
  label: Bilingual;
  dimensions: readonly SliceDimension[];
  /** Smallest |observed - expected| worth an alarm (every KPI here counts orders or people). */
  minimumChange: number;
  /** And, for sizes, the smallest change relative to the expected value. */
  minimumRelativeChange?: number;
  /** Day-over-day change (relative) beyond which a size alarms on its own; none when absent. */
  maxDailyChange?: number;
  /** SELECT day, <dimensions…>, value … WHERE day BETWEEN ? AND ? (two parameters). */
  sql: string;
}

const channelService = (column: string) =>
  `SELECT CAST(day AS VARCHAR) AS day, channel, service_id AS service, sum(${column}) AS value
   FROM agg_channel_service_day WHERE day BETWEEN ? AND ? GROUP BY ALL`;
const countyService = (column: string) =>
  `SELECT CAST(day AS VARCHAR) AS day, county, service_id AS service, sum(${column}) AS value
   FROM agg_area_service_day WHERE day BETWEEN ? AND ? GROUP BY ALL`;

export const sliceFamilies: readonly SliceFamily[] = [
  {
    kpi: 'orders',
    label: { zh: '订购量', en: 'orders' },
    dimensions: ['channel', 'service'],
    minimumChange: 5,
    sql: channelService('orders'),
  },
  {
    kpi: 'cancellations',
    label: { zh: '退订量', en: 'cancellations' },
    dimensions: ['channel', 'service'],
    minimumChange: 5,
    sql: channelService('cancels'),
  },
  {
    kpi: 'orders',
    label: { zh: '订购量', en: 'orders' },
    dimensions: ['county', 'service'],
    minimumChange: 5,
    sql: countyService('orders'),
  },
  {
    kpi: 'cancellations',
    label: { zh: '退订量', en: 'cancellations' },
    dimensions: ['county', 'service'],
    minimumChange: 5,
    sql: countyService('cancels'),
  },
  {
    kpi: 'cancellations',
    label: { zh: '退订量', en: 'cancellations' },
    dimensions: ['county'],
    minimumChange: 5,
    sql: `SELECT CAST(day AS VARCHAR) AS day, county, sum(cancels) AS value
          FROM agg_area_service_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
  },
  {
    kpi: 'unconfirmed_orders',
    label: { zh: '未经用户确认的订购', en: 'orders without user confirmation' },
    dimensions: ['channel'],
    minimumChange: 5,
    sql: `SELECT CAST(day AS VARCHAR) AS day, channel, sum(unconfirmed_orders) AS value
          FROM agg_channel_service_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
  },
  {
    kpi: 'users_active',
    label: { zh: '活跃用户数', en: 'active users' },
    dimensions: ['county'],
    minimumChange: 5,
    minimumRelativeChange: 0.1,
    sql: `SELECT CAST(day AS VARCHAR) AS day, county, sum(users_active) AS value
          FROM agg_area_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
  },
  {
    kpi: 'subscribers_active',
    label: { zh: '在网用户数', en: 'active subscribers' },
    dimensions: ['county', 'brand'],
    minimumChange: 5,
    minimumRelativeChange: 0.02,
    maxDailyChange: 0.05,
    sql: `SELECT CAST(day AS VARCHAR) AS day, county, brand, sum(subscribers_active) AS value
          FROM agg_area_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
  },
  {
    kpi: 'segment_size',
    label: { zh: '客户群规模', en: 'segment size' },
    dimensions: ['brand', 'tenure_band'],
    minimumChange: 5,
    minimumRelativeChange: 0.02,
    maxDailyChange: 0.05,
    sql: `SELECT CAST(day AS VARCHAR) AS day, brand, tenure_band, sum(subscribers_active) AS value
          FROM agg_segment_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
  },
];

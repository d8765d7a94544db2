// Business rules that need no statistics: they are violations whatever the history says.
//  - orders placed without the user's confirmation above a share per channel x service (a channel
//    or service provider ordering on subscribers' behalf);
//  - an order and its cancellation by the same subscriber within minutes (an order the subscriber
//    did not want). This one needs the order times, so it reads `orders`, but only the days judged.
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { quickCancelsOnClickHouse } from './detector-sql-clickhouse.ts';
import { type Anomaly, seriesKey } from './anomaly.ts';
import { describeAnomaly, type LabelOf } from './describe-anomaly.ts';

export interface BusinessRuleOptions {
  /** Share of a day's orders of one channel x service that may lack confirmation. */
  unconfirmedShare: number;
  /** Fewest unconfirmed orders that can break the share rule (small numbers are noise). */
  unconfirmedMinimum: number;
  /** An order cancelled within this many minutes counts as a quick cancel. */
  quickCancelMinutes: number;
  /** Fewest quick cancels of one channel x service on a day that make a violation. */
  quickCancelMinimum: number;
}

export const defaultBusinessRuleOptions: BusinessRuleOptions = {
  unconfirmedShare: 0.2,
  unconfirmedMinimum: 5,
  quickCancelMinutes: 10,
  quickCancelMinimum: 3,
};

export async function checkBusinessRules(
  warehouse: Warehouse | ClickHouseWarehouse,
  range: { from: string; to: string },
  labelOf: LabelOf,
  options: BusinessRuleOptions = defaultBusinessRuleOptions,
): Promise<Anomaly[]> {
  const found: Anomaly[] = [];
  const unconfirmed = await warehouse.all<{
    day: string;
    channel: string;
    service: string;
    orders: number;
    unconfirmed: number;
  }>(
    warehouse.engine === 'clickhouse'
      ? // Aliases are global there: a second sum(orders) would read the alias (a sum inside a sum).
        `SELECT toString(day) AS day, channel, service_id AS service, sum(orders) AS orders,
            sum(unconfirmed_orders) AS unconfirmed
         FROM agg_channel_service_day WHERE day BETWEEN ? AND ? GROUP BY day, channel, service
         HAVING unconfirmed >= ? AND unconfirmed > ? * orders
         ORDER BY day, channel, service`
      : `SELECT CAST(day AS VARCHAR) AS day, channel, service_id AS service, sum(orders) AS orders,
            sum(unconfirmed_orders) AS unconfirmed
     FROM agg_channel_service_day WHERE day BETWEEN ? AND ? GROUP BY ALL
     HAVING sum(unconfirmed_orders) >= ? AND sum(unconfirmed_orders) > ? * sum(orders)
     ORDER BY day, channel, service`,
    [range.from, range.to, options.unconfirmedMinimum, options.unconfirmedShare],
  );
  for (const row of unconfirmed) {
    const dimensions = { channel: row.channel, service: row.service };
    const allowed = options.unconfirmedShare * row.orders;
    const share = row.unconfirmed / Math.max(row.orders, 1);
    found.push({
      series: seriesKey('unconfirmed_share', dimensions),
      kpi: 'unconfirmed_share',
      dimensions,
      day: row.day,
      kind: 'unconfirmed_orders',
      observed: row.unconfirmed,
      expected: allowed,
      bandLow: 0,
      bandHigh: allowed,
      score: share / options.unconfirmedShare,
      pValue: null,
      severity: share >= 2 * options.unconfirmedShare ? 'critical' : 'warning',
      explanation: describeAnomaly(
        {
          kpi: { zh: '未经用户确认的订购', en: 'orders without user confirmation' },
          dimensions,
          kind: 'unconfirmed_orders',
          observed: row.unconfirmed,
          expected: allowed,
          spread: 0,
          share: { observed: share, limit: options.unconfirmedShare, of: row.orders },
        },
        labelOf,
      ),
    });
  }
  const quick =
    warehouse.engine === 'clickhouse'
      ? await quickCancelsOnClickHouse(warehouse, range, options.quickCancelMinutes, options.quickCancelMinimum)
      : await quickCancelsOnDuckDb(warehouse, range, options);
  for (const row of quick) {
    const dimensions = { channel: row.channel, service: row.service };
    found.push({
      series: seriesKey('quick_cancels', dimensions),
      kpi: 'quick_cancels',
      dimensions,
      day: row.day,
      kind: 'quick_cancel',
      observed: row.subscribers,
      expected: 0,
      bandLow: 0,
      bandHigh: options.quickCancelMinimum - 1,
      score: row.subscribers / options.quickCancelMinimum,
      pValue: null,
      severity: row.subscribers >= 3 * options.quickCancelMinimum ? 'critical' : 'warning',
      explanation: describeAnomaly(
        {
          kpi: { zh: '订购后速退', en: 'order then quick cancellation' },
          dimensions,
          kind: 'quick_cancel',
          observed: row.subscribers,
          expected: 0,
          spread: 0,
        },
        labelOf,
      ),
    });
  }
  return found;
}

// ASOF join: each subscribe meets the first cancellation of the same subscriber and service after it.
function quickCancelsOnDuckDb(
  warehouse: Warehouse,
  range: { from: string; to: string },
  options: BusinessRuleOptions,
): Promise<{ day: string; channel: string; service: string; subscribers: number }[]> {
  return warehouse.all<{ day: string; channel: string; service: string; subscribers: number }>(
    `WITH subs AS (
       SELECT msisdn, service_id, ts, channel FROM orders
       WHERE action = 'subscribe' AND CAST(ts AS DATE) BETWEEN ? AND ?),
     cancels AS (
       SELECT msisdn, service_id, ts FROM orders
       WHERE action = 'unsubscribe' AND CAST(ts AS DATE) BETWEEN ? AND CAST(? AS DATE) + 1)
     SELECT CAST(CAST(s.ts AS DATE) AS VARCHAR) AS day, s.channel, s.service_id AS service,
            count(DISTINCT s.msisdn) AS subscribers
     FROM subs s ASOF JOIN cancels c ON c.msisdn = s.msisdn AND c.service_id = s.service_id AND c.ts >= s.ts
     WHERE c.ts <= s.ts + to_minutes(CAST(? AS BIGINT))
     GROUP BY ALL HAVING count(DISTINCT s.msisdn) >= ? ORDER BY day, channel, service`,
    [range.from, range.to, range.from, range.to, options.quickCancelMinutes, options.quickCancelMinimum],
  );
}

// The daily aggregates the KPIs read, built on every shard from that shard's own rows (SQL that
// ClickHouse 18.16 takes: no CTEs, no window functions, one JOIN per SELECT). Subscribers and their
// events live on the same shard (sharded by msisdn), so each shard's per-subscriber distinct counts
// are exact for its subscribers, and the Distributed table's sum over shards is exact overall. Only
// aggregate rows ever leave a shard. Rebuilt whole after each load: a load killed before the end is
// repaired by the next one.
import { clickhouseBandSql as band } from '../subscriber-bands.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import { ivrMenuHourSql } from './ivr-menu-aggregates.ts';
import { areaServiceDaySql, subscriberServiceDaySql } from './service-day-aggregates.ts';
import { subscriberServiceMonthSql, subscriberSpellsSql, subscriptionsSql } from './subscription-aggregates.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';

const dailyTables = ['orders', 'sms', 'wap', 'ivr', 'crbt', 'web', 'signalling'];

/** Subscriber columns joined to events: one row per subscriber on the shard. */
const people = (columns: string) => `(SELECT msisdn, ${columns} FROM subscribers_local)`;

/** Own use in the business feeds that makes a subscriber active that day (as agg_subscriber_day on DuckDB). */
const activeSubscriberDays = `
  SELECT DISTINCT day, msisdn FROM (
    SELECT toDate(ts) AS day, msisdn FROM sms_local WHERE kind IN ('p2p_mo', 'sp_mo') OR (service_id != '' AND forwarded = 1)
    UNION ALL SELECT toDate(ts) AS day, msisdn FROM ivr_local
    UNION ALL SELECT toDate(ts) AS day, msisdn FROM wap_local
    UNION ALL SELECT toDate(ts) AS day, msisdn FROM crbt_local WHERE (SELECT count() FROM services WHERE category = 'crbt') > 0
  )`;

function areaDaySql(days: string): string {
  return `
  INSERT INTO agg_area_day_local (day, region, county, brand, subscribers_active, users_active, activations, closures)
  SELECT day, region, county, brand, sum(subscribers_active), sum(users_active), sum(activations), sum(closures) FROM (
    SELECT arrayJoin(${days}) AS day, region, county, brand,
           toInt64(countIf(activated_on <= day AND NOT (status IN ('closed', 'suspended') AND status_changed_on <= day))) AS subscribers_active,
           toInt64(0) AS users_active,
           toInt64(countIf(activated_on = day)) AS activations,
           toInt64(countIf(status = 'closed' AND status_changed_on = day)) AS closures
    FROM subscribers_local GROUP BY day, region, county, brand
    UNION ALL
    SELECT day, region, county, brand, toInt64(0), toInt64(count()), toInt64(0), toInt64(0)
    FROM (${activeSubscriberDays}) ANY INNER JOIN ${people('region, county, brand')} USING msisdn
    GROUP BY day, region, county, brand
  ) GROUP BY day, region, county, brand`;
}

const channelServiceDaySql = `
  INSERT INTO agg_channel_service_day_local (day, channel, service_id, county, brand, orders, cancels, unconfirmed_orders)
  SELECT toDate(ts) AS day, channel, service_id, county, brand,
         countIf(action = 'subscribe'), countIf(action = 'unsubscribe'), countIf(action = 'subscribe' AND confirmed = 0)
  FROM (SELECT ts, msisdn, channel, service_id, action, confirmed FROM orders_local)
  ANY INNER JOIN ${people('county, brand')} USING msisdn
  GROUP BY day, channel, service_id, county, brand`;

const ivrAreaDaySql = `
  INSERT INTO agg_ivr_area_day_local (day, region, county, brand, access_code, calls, callers, seconds)
  SELECT toDate(ts) AS day, region, county, brand, access_code, count(), uniqExact(msisdn), sum(duration_s)
  FROM (SELECT ts, msisdn, access_code, duration_s FROM ivr_local)
  ANY INNER JOIN ${people('region, county, brand')} USING msisdn
  GROUP BY day, region, county, brand, access_code`;

const cellHourSql = `
  INSERT INTO agg_cell_hour_local (day, hour, cell_id, events, subscribers, calls_out, calls_114, calls_12580)
  SELECT toDate(ts) AS day, toHour(ts) AS hour, cell_id, count(), uniqExact(msisdn), countIf(event = 'call_out'),
         countIf(event = 'call_out' AND peer = '114'), countIf(event = 'call_out' AND peer = '12580')
  FROM signalling_local GROUP BY day, hour, cell_id`;

const smsAreaDaySql = `
  INSERT INTO agg_sms_area_day_local (day, region, county, brand, p2p_sent, p2p_received, p2p_forwards, senders, forwarders)
  SELECT toDate(ts) AS day, region, county, brand,
         countIf(kind = 'p2p_mo'), countIf(kind = 'p2p_mt'), countIf(kind = 'p2p_mo' AND forwarded = 1),
         uniqExactIf(msisdn, kind = 'p2p_mo'), uniqExactIf(msisdn, kind = 'p2p_mo' AND forwarded = 1)
  FROM (SELECT ts, msisdn, kind, forwarded FROM sms_local WHERE kind IN ('p2p_mo', 'p2p_mt'))
  ANY INNER JOIN ${people('region, county, brand')} USING msisdn
  GROUP BY day, region, county, brand`;

/**
 * Subscribers seen in cells of each kind of area per day, by home area and brand (the composition's
 * brand mix). Distinct (day, area type, subscriber) first, then counted: one JOIN per SELECT.
 */
const areaTypeDaySql = `
  INSERT INTO agg_area_type_day_local (day, area_type, region, county, brand, subscribers)
  SELECT day, area_type, region, county, brand, count()
  FROM (
    SELECT day, area_type, msisdn
    FROM (SELECT DISTINCT toDate(ts) AS day, cell_id, msisdn FROM signalling_local)
    ANY INNER JOIN (SELECT cell_id, area_type FROM cells) USING cell_id
    GROUP BY day, area_type, msisdn
  ) ANY INNER JOIN ${people('region, county, brand')} USING msisdn
  GROUP BY day, area_type, region, county, brand`;

/**
 * Distinct subscribers seen in a cell per day by brand ('other' when the number is not a subscriber),
 * and how many of them called 114 / 12580 from it: the area view's fields.
 */
const cellBrandDaySql = `
  INSERT INTO agg_cell_brand_day_local (day, cell_id, brand, subscribers, callers_114, callers_12580)
  SELECT day, cell_id, ifNull(nullIf(brand, ''), 'other') AS brand_or_other, count(), countIf(called_114), countIf(called_12580)
  FROM (
    SELECT toDate(ts) AS day, cell_id, msisdn, max(event = 'call_out' AND peer = '114') AS called_114,
           max(event = 'call_out' AND peer = '12580') AS called_12580
    FROM signalling_local GROUP BY day, cell_id, msisdn
  ) ANY LEFT JOIN ${people('brand')} USING msisdn
  GROUP BY day, cell_id, brand_or_other`;

/**
 * Subscribers and active users per segment x day. The ARPU band is that of the latest billed month of
 * the whole cluster (`latestMonth`, NULL without bills), as on DuckDB; only segments with subscribers
 * that day get a row (an inner join there, a WHERE here).
 */
function segmentDaySql(days: string, latestMonth: string): string {
  const people = `(SELECT msisdn, region, county, brand, plan_id, activated_on, birth_year, status, status_changed_on, ${band.arpu('total_fee')} AS arpu_band
    FROM subscribers_local ANY LEFT JOIN (SELECT msisdn, total_fee FROM billing_local WHERE month = ${latestMonth}) USING msisdn)`;
  const segment = (dayExpr: string) =>
    `region, county, brand, plan_id, ${band.tenure('activated_on', dayExpr)} AS tenure_band, ${band.age('birth_year', dayExpr)} AS age_band, arpu_band`;
  return `
  INSERT INTO agg_segment_day_local (day, region, county, brand, plan_id, tenure_band, age_band, arpu_band, subscribers_active, users_active)
  SELECT day, region, county, brand, plan_id, tenure_band, age_band, arpu_band, sum(subscribers_active), sum(users_active) FROM (
    SELECT day, ${segment('day')}, toInt64(count()) AS subscribers_active, toInt64(0) AS users_active
    FROM ${people} ARRAY JOIN ${days} AS day
    WHERE activated_on <= day AND NOT (status IN ('closed', 'suspended') AND status_changed_on <= day)
    GROUP BY day, region, county, brand, plan_id, tenure_band, age_band, arpu_band
    UNION ALL
    SELECT day, ${segment('day')}, toInt64(0), toInt64(count())
    FROM (${activeSubscriberDays}) ANY INNER JOIN ${people} USING msisdn
    GROUP BY day, region, county, brand, plan_id, tenure_band, age_band, arpu_band
  ) GROUP BY day, region, county, brand, plan_id, tenure_band, age_band, arpu_band`;
}

/** Every month of bills per segment: tenure and age as of the month's last day, the bill's own ARPU band. */
const billingSegmentMonthSql = `
  INSERT INTO agg_billing_segment_month_local (month, region, county, brand, plan_id, tenure_band, age_band, arpu_band, billed_subscribers, revenue, voice_fee, sms_fee, data_fee, vas_fee)
  SELECT month, region, county, brand, plan_id,
         if(known = 1, ${band.tenure('activated_on', 'month_end')}, NULL) AS tenure_band,
         if(known = 1, ${band.age('birth_year', 'month_end')}, NULL) AS age_band,
         ${band.arpu('total_fee')} AS arpu_band,
         count(), sum(total_fee), sum(voice_fee), sum(sms_fee), sum(data_fee), sum(vas_fee)
  FROM (SELECT msisdn, month, subtractDays(addMonths(month, 1), 1) AS month_end, total_fee, voice_fee, sms_fee, data_fee, vas_fee FROM billing_local)
  ANY LEFT JOIN (SELECT msisdn, region, county, brand, plan_id, activated_on, birth_year, toUInt8(1) AS known FROM subscribers_local) USING msisdn
  GROUP BY month, region, county, brand, plan_id, tenure_band, age_band, arpu_band`;

export const clickhouseAggregateTables = [
  'agg_subscriber_service_day',
  'subscriptions',
  'agg_subscriber_service_month',
  'agg_subscriber_spells',
  'agg_ivr_menu_hour',
  'agg_area_day',
  'agg_area_service_day',
  'agg_channel_service_day',
  'agg_ivr_area_day',
  'agg_cell_hour',
  'agg_sms_area_day',
  'agg_area_type_day',
  'agg_cell_brand_day',
  'agg_segment_day',
  'agg_billing_segment_month',
] as const;

/** Rebuilds every carried aggregate on every shard; returns the loaded days, ascending. */
export async function rebuildClickHouseAggregates(cluster: ClickHouseWarehouse): Promise<string[]> {
  // The days of every daily feed across the cluster (a few hundred values, not rows): the subscriber
  // base is counted on each of them on every shard, as DuckDB counts it on every loaded day.
  const union = dailyTables.map((t) => `SELECT DISTINCT toDate(ts) AS day FROM ${t}`).join(' UNION ALL ');
  const days = (
    await cluster.all<{ day: string }>(`SELECT DISTINCT toString(day) AS day FROM (${union}) ORDER BY day`)
  ).map((r) => r.day);
  const dayArray = `[${days.map((d) => `toDate(${clickhouseLiteral(d)})`).join(', ')}]`;
  const latest = await cluster.one<{ month: string | null }>(
    'SELECT if(count() = 0, NULL, toString(max(month))) AS month FROM billing',
  );
  const latestMonth = latest?.month ? `toDate(${clickhouseLiteral(latest.month)})` : 'NULL';
  // Every shard builds from its own rows only, so all of them build at once.
  await onEveryShardAtOnce(cluster, async (shard) => {
    for (const table of clickhouseAggregateTables) await cluster.runOn(shard, `TRUNCATE TABLE ${table}_local`);
    // First: the per-day use and the spells the service aggregates below read.
    await cluster.runOn(shard, subscriberServiceDaySql);
    await cluster.runOn(shard, subscriptionsSql);
    await cluster.runOn(shard, subscriberSpellsSql);
    if (days.length > 0) {
      await cluster.runOn(shard, subscriberServiceMonthSql(dayArray));
      await cluster.runOn(shard, areaDaySql(dayArray));
      await cluster.runOn(shard, segmentDaySql(dayArray, latestMonth));
      await cluster.runOn(shard, areaServiceDaySql(dayArray));
    }
    for (const sql of [
      channelServiceDaySql,
      ivrAreaDaySql,
      cellHourSql,
      smsAreaDaySql,
      areaTypeDaySql,
      cellBrandDaySql,
      billingSegmentMonthSql,
      ivrMenuHourSql,
    ])
      await cluster.runOn(shard, sql);
  });
  return days;
}

async function onEveryShardAtOnce(
  cluster: ClickHouseWarehouse,
  work: (shard: ClickHouseWarehouse['shards'][number]) => Promise<void>,
): Promise<void> {
  await Promise.all(cluster.shards.map(work));
}

// The per-subscriber tables behind the channel, trial, activity and bundle analyses, built on each
// shard from its own rows with ClickHouse 18.16's SQL: arrays per subscriber and service instead of
// DuckDB's window function (lag) and ASOF join, at most one JOIN per SELECT. A subscriber's orders,
// use and spells are all on one shard, so every row here is exact, and the analyses only sum them.

/** The subscriber's area and plan, joined to a per-subscriber row ('' when the number is not a subscriber). */
const people = '(SELECT msisdn, region, county, brand, plan_id FROM subscribers_local)';

/** The day an open spell is given where an array cannot hold NULL (groupArray drops NULLs). */
export const OPEN_END = '2105-12-31';

/**
 * Per subscriber x service: the order events sorted by time (an unsubscribe before a subscribe at the
 * same moment, as DuckDB's `ORDER BY ts, action DESC`), and the days the service was used with the
 * uses of each day (for the uses during a free trial), from one pass without a join.
 */
const eventsAndUse = `
  SELECT msisdn, service_id,
         arraySort(groupArrayIf((ts, rank, trial, channel, from_opening), is_order = 1)) AS ev,
         groupArrayIf((use_day, uses), is_order = 0 AND uses > 0) AS used
  FROM (
    SELECT msisdn, service_id, toDateTime(subscribed_on) AS ts, toUInt8(1) AS rank, trial, channel, toUInt8(1) AS from_opening,
           toDate('1970-01-01') AS use_day, toInt64(0) AS uses, toUInt8(1) AS is_order
    FROM subscriptions_opening_local
    UNION ALL
    SELECT msisdn, service_id, ts, toUInt8(action = 'subscribe') AS rank, trial, channel, toUInt8(0) AS from_opening,
           toDate('1970-01-01') AS use_day, toInt64(0) AS uses, toUInt8(1) AS is_order
    FROM orders_local
    UNION ALL
    SELECT msisdn, service_id, toDateTime(0) AS ts, toUInt8(0) AS rank, toUInt8(0) AS trial, '' AS channel, toUInt8(0) AS from_opening,
           day AS use_day, usage_events AS uses, toUInt8(0) AS is_order
    FROM agg_subscriber_service_day_local
  ) GROUP BY msisdn, service_id`;

/**
 * Spells: a spell starts at a subscribe whose previous event is none or an unsubscribe, and ends at
 * the first unsubscribe at or after its start (DuckDB: lag() and an ASOF join on the same rule).
 */
const spells = `
  SELECT msisdn, service_id, toDate(start_ts) AS started_on, trial, channel, from_opening, used,
         arrayFirstIndex(e -> tupleElement(e, 2) = 0 AND tupleElement(e, 1) >= start_ts, ev) AS end_index,
         if(end_index = 0, NULL, toNullable(toDate(tupleElement(ev[end_index], 1)))) AS ended_on,
         if(end_index = 0, NULL, toNullable(tupleElement(ev[end_index], 4))) AS cancel_channel
  FROM (
    SELECT msisdn, service_id, ev, used, tupleElement(ev[i], 1) AS start_ts, tupleElement(ev[i], 3) AS trial,
           tupleElement(ev[i], 4) AS channel, tupleElement(ev[i], 5) AS from_opening
    FROM (${eventsAndUse})
    ARRAY JOIN arrayEnumerate(ev) AS i
    WHERE tupleElement(ev[i], 2) = 1 AND (i = 1 OR tupleElement(ev[i - 1], 2) = 0)
  )`;

/**
 * With the trial's end (the service's free months, as DuckDB's trial_ends_on) and the uses of the
 * service on the days of the trial (DuckDB's trial_uses, NULL without a trial).
 */
const spellsWithTrial = `
  SELECT msisdn, service_id, started_on, ended_on, channel, cancel_channel, trial, from_opening,
         trial = 1 AND ifNull(trial_months, 0) > 0 AS has_trial,
         addMonths(started_on, ifNull(trial_months, 0)) AS trial_end_day,
         if(has_trial, toNullable(trial_end_day), NULL) AS trial_ends_on,
         if(has_trial, toNullable(toInt64(arraySum(arrayMap(u -> if(tupleElement(u, 1) >= started_on AND tupleElement(u, 1) < trial_end_day, tupleElement(u, 2), 0), used)))), NULL) AS trial_uses
  FROM (${spells}) ANY LEFT JOIN (SELECT service_id, trial_months FROM services) USING service_id`;

export const subscriptionsSql = `
  INSERT INTO subscriptions_local (msisdn, service_id, started_on, ended_on, channel, cancel_channel, trial, trial_ends_on, from_opening, trial_uses, region, county, brand, plan_id)
  SELECT msisdn, service_id, started_on, ended_on, channel, cancel_channel, trial, trial_ends_on, from_opening, trial_uses,
         ifNull(region, ''), ifNull(county, ''), ifNull(brand, ''), ifNull(plan_id, '')
  FROM (${spellsWithTrial}) ANY LEFT JOIN ${people} USING msisdn`;

/**
 * The day bitmasks of each subscriber x service x month of the loaded days (`days`: an array literal
 * of dates), as DuckDB's agg_subscriber_service_month: held from the spells (days first..last of the
 * month, clipped to [started_on, ended_on)), used from the per-day use.
 */
export function subscriberServiceMonthSql(days: string): string {
  const monthEnd = 'subtractDays(addMonths(month, 1), 1)';
  // Open spells as ending far ahead: on 18.16 `0 AND NULL` is NULL, so a condition on a NULL end is avoided.
  const end = `ifNull(ended_on, toDate('${OPEN_END}'))`;
  const bit = 'toUInt32(bitShiftLeft(toUInt64(1), toDayOfMonth(day) - 1))';
  return `
  INSERT INTO agg_subscriber_service_month_local (month, msisdn, service_id, held_days, used_days, ivr_days, wap_days, region, county, brand)
  SELECT month, msisdn, service_id, held_days, used_days, ivr_days, wap_days, ifNull(region, ''), ifNull(county, ''), ifNull(brand, '')
  FROM (
    SELECT month, msisdn, service_id, groupBitOr(h) AS held_days, groupBitOr(u) AS used_days, groupBitOr(iv) AS ivr_days,
           groupBitOr(w) AS wap_days
    FROM (
      SELECT month, msisdn, service_id,
             toUInt32(bitShiftLeft(toUInt64(1), last_day_of) - bitShiftLeft(toUInt64(1), first_day_of - 1)) AS h,
             toUInt32(0) AS u, toUInt32(0) AS iv, toUInt32(0) AS w
      FROM (
        SELECT month, msisdn, service_id, if(started_on > month, toDayOfMonth(started_on), 1) AS first_day_of,
               if(${end} <= ${monthEnd}, toDayOfMonth(${end}) - 1, toDayOfMonth(${monthEnd})) AS last_day_of
        FROM subscriptions_local ARRAY JOIN arrayDistinct(arrayMap(d -> toStartOfMonth(d), ${days})) AS month
        WHERE started_on <= ${monthEnd} AND ${end} > month
      ) WHERE last_day_of >= first_day_of
      UNION ALL
      SELECT toStartOfMonth(day) AS month, msisdn, service_id, toUInt32(0) AS h, ${bit} AS u, if(ivr_calls > 0, ${bit}, toUInt32(0)) AS iv,
             if(wap_visits > 0, ${bit}, toUInt32(0)) AS w
      FROM agg_subscriber_service_day_local WHERE usage_events > 0
    ) GROUP BY month, msisdn, service_id
  ) ANY LEFT JOIN ${people} USING msisdn`;
}

/** Each known subscriber's spells as parallel arrays (bundles: services held together on a day). */
export const subscriberSpellsSql = `
  INSERT INTO agg_subscriber_spells_local (msisdn, region, county, brand, service_ids, started, ended)
  SELECT msisdn, region, county, brand, groupArray(service_id), groupArray(started_on),
         groupArray(ifNull(ended_on, toDate('${OPEN_END}')))
  FROM subscriptions_local WHERE region != ''
  GROUP BY msisdn, region, county, brand`;

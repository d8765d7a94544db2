// agg_area_service_day on ClickHouse 18.16, from each shard's own rows: who holds which service on
// each day (spells from the opening balance and the orders, as DuckDB's `subscriptions`, but with
// arrays instead of its window function and ASOF join), and each subscriber's use of each service.

/** Subscriber columns a service aggregate is grouped by. */
const people = '(SELECT msisdn, region, county, brand, plan_id FROM subscribers_local)';

/**
 * Holding spells: per subscriber x service, events sorted by time (an unsubscribe before a subscribe
 * at the same moment, as DuckDB's `ORDER BY ts, action DESC`); a spell starts at a subscribe whose
 * previous event is none or an unsubscribe, and ends at the first unsubscribe at or after its start.
 */
const spells = `
  SELECT msisdn, service_id, toDate(start_ts) AS started_on, trial,
         arrayExists(e -> tupleElement(e, 2) = 0 AND tupleElement(e, 1) >= start_ts, ev) AS has_end,
         toDate(tupleElement(arrayFirst(e -> tupleElement(e, 2) = 0 AND tupleElement(e, 1) >= start_ts, ev), 1)) AS ended_on
  FROM (
    SELECT msisdn, service_id, ev, tupleElement(ev[i], 1) AS start_ts, tupleElement(ev[i], 3) AS trial
    FROM (
      SELECT msisdn, service_id, arraySort(groupArray((ts, rank, trial))) AS ev FROM (
        SELECT msisdn, service_id, toDateTime(subscribed_on) AS ts, toUInt8(1) AS rank, trial FROM subscriptions_opening_local
        UNION ALL
        SELECT msisdn, service_id, ts, toUInt8(action = 'subscribe') AS rank, trial FROM orders_local
      ) GROUP BY msisdn, service_id
    )
    ARRAY JOIN arrayEnumerate(ev) AS i
    WHERE tupleElement(ev[i], 2) = 1 AND (i = 1 OR tupleElement(ev[i - 1], 2) = 0)
  )`;

/** Spells with the day their free trial ends (NULL without one), as DuckDB's subscriptions.trial_ends_on. */
const spellsWithTrial = `
  SELECT msisdn, service_id, started_on, has_end, ended_on,
         if(trial = 1 AND trial_months > 0, toNullable(addMonths(started_on, trial_months)), NULL) AS trial_ends_on
  FROM (${spells}) ANY LEFT JOIN (SELECT service_id, trial_months FROM services) USING service_id`;

const zero = 'toInt64(0)';

/**
 * Per subscriber x service x day: orders and use, as DuckDB's agg_subscriber_service_day. The events'
 * columns are named e_… because ClickHouse aliases are global to a SELECT: `sum(x) AS x` beside
 * another sum(x) would nest one aggregate in the other.
 */
const subscriberServiceDay = `
  SELECT day, msisdn, service_id, sum(e_orders) AS orders, sum(e_cancels) AS cancels, sum(e_trial_orders) AS trial_orders,
         sum(e_sms_mt) AS sms_mt, sum(e_sms_forwards) AS sms_forwards, sum(e_wap_visits) AS wap_visits, sum(e_ivr_calls) AS ivr_calls,
         sum(e_crbt_changes) AS crbt_changes,
         sum(e_sms_mo + e_sms_forwards + e_wap_visits + e_ivr_calls + e_crbt_sets + e_crbt_changes + e_crbt_downloads) AS usage_events
  FROM (
    SELECT toDate(ts) AS day, msisdn, service_id, toInt64(action = 'subscribe') AS e_orders, toInt64(action = 'unsubscribe') AS e_cancels,
           toInt64(action = 'subscribe' AND trial = 1) AS e_trial_orders, ${zero} AS e_sms_mt, ${zero} AS e_sms_mo, ${zero} AS e_sms_forwards,
           ${zero} AS e_wap_visits, ${zero} AS e_ivr_calls, ${zero} AS e_crbt_sets, ${zero} AS e_crbt_changes, ${zero} AS e_crbt_downloads
    FROM orders_local
    UNION ALL
    SELECT toDate(ts), msisdn, service_id, ${zero}, ${zero}, ${zero}, toInt64(kind = 'sp_mt'), toInt64(kind = 'sp_mo'), toInt64(forwarded = 1),
           ${zero}, ${zero}, ${zero}, ${zero}, ${zero}
    FROM sms_local WHERE service_id != ''
    UNION ALL
    SELECT toDate(ts), msisdn, service_id, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, toInt64(1), ${zero}, ${zero}, ${zero}, ${zero}
    FROM wap_local WHERE service_id != ''
    UNION ALL
    SELECT toDate(ts), msisdn, access_code, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, toInt64(1), ${zero}, ${zero}, ${zero}
    FROM ivr_local WHERE access_code IN (SELECT service_id FROM services)
    UNION ALL
    SELECT toDate(ts), msisdn, (SELECT min(service_id) FROM services WHERE category = 'crbt'), ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero},
           ${zero}, ${zero}, toInt64(action = 'set'), toInt64(action = 'change'), toInt64(action = 'download')
    FROM crbt_local WHERE (SELECT count() FROM services WHERE category = 'crbt') > 0
  ) GROUP BY day, msisdn, service_id`;

const keys = 'day, region, county, brand, plan_id, service_id';

/** The INSERT of agg_area_service_day_local for the loaded days (`days`: an array literal of dates). */
export function areaServiceDaySql(days: string): string {
  return `
  INSERT INTO agg_area_service_day_local (day, region, county, brand, plan_id, service_id, holders, paying_holders, orders, cancels, trial_orders, unconfirmed_orders, users_active, usage_events, sms_mt, sms_forwards, wap_visits, ivr_calls, crbt_changes)
  SELECT ${keys}, sum(holders), sum(paying_holders), sum(orders), sum(cancels), sum(trial_orders), sum(unconfirmed_orders),
         sum(users_active), sum(usage_events), sum(sms_mt), sum(sms_forwards), sum(wap_visits), sum(ivr_calls), sum(crbt_changes)
  FROM (
    SELECT ${keys}, toInt64(count()) AS holders, toInt64(countIf(isNull(trial_ends_on) OR trial_ends_on <= day)) AS paying_holders,
           ${zero} AS orders, ${zero} AS cancels, ${zero} AS trial_orders, ${zero} AS unconfirmed_orders, ${zero} AS users_active,
           ${zero} AS usage_events, ${zero} AS sms_mt, ${zero} AS sms_forwards, ${zero} AS wap_visits, ${zero} AS ivr_calls, ${zero} AS crbt_changes
    FROM (SELECT * FROM (${spellsWithTrial}) ANY INNER JOIN ${people} USING msisdn)
    ARRAY JOIN ${days} AS day
    WHERE started_on <= day AND (has_end = 0 OR ended_on > day)
    GROUP BY ${keys}
    UNION ALL
    SELECT ${keys}, ${zero}, ${zero}, toInt64(sum(orders)), toInt64(sum(cancels)), toInt64(sum(trial_orders)), ${zero},
           toInt64(countIf(usage_events > 0)), toInt64(sum(usage_events)), toInt64(sum(sms_mt)), toInt64(sum(sms_forwards)),
           toInt64(sum(wap_visits)), toInt64(sum(ivr_calls)), toInt64(sum(crbt_changes))
    FROM (${subscriberServiceDay}) ANY INNER JOIN ${people} USING msisdn
    GROUP BY ${keys}
    UNION ALL
    SELECT ${keys}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, toInt64(count()), ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}
    FROM (SELECT toDate(ts) AS day, msisdn, service_id FROM orders_local WHERE action = 'subscribe' AND confirmed = 0)
    ANY INNER JOIN ${people} USING msisdn
    GROUP BY ${keys}
  ) GROUP BY ${keys}`;
}

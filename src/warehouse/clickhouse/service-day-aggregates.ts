// agg_area_service_day on ClickHouse 18.16, from each shard's own rows: who holds which service on
// each day (the spells of subscriptions_local) and each subscriber's use of each service.

/** Subscriber columns a service aggregate is grouped by. */
const people = '(SELECT msisdn, region, county, brand, plan_id FROM subscribers_local)';

/** The spells of subscriptions_local (built first, subscription-aggregates.ts) this table counts holders from. */
const spellsWithTrial = 'SELECT msisdn, service_id, started_on, ended_on, trial_ends_on FROM subscriptions_local';

const zero = 'toInt64(0)';

/**
 * Per subscriber x service x day: orders and use, as DuckDB's agg_subscriber_service_day. The events'
 * columns are named e_… because ClickHouse aliases are global to a SELECT: `sum(x) AS x` beside
 * another sum(x) would nest one aggregate in the other. Every branch of the UNION names every column:
 * 18.16 drops the columns a reader does not use by name, branch by branch.
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
    SELECT toDate(ts) AS day, msisdn, service_id, ${zero} AS e_orders, ${zero} AS e_cancels, ${zero} AS e_trial_orders,
           toInt64(kind = 'sp_mt') AS e_sms_mt, toInt64(kind = 'sp_mo') AS e_sms_mo, toInt64(forwarded = 1) AS e_sms_forwards,
           ${zero} AS e_wap_visits, ${zero} AS e_ivr_calls, ${zero} AS e_crbt_sets, ${zero} AS e_crbt_changes, ${zero} AS e_crbt_downloads
    FROM sms_local WHERE service_id != ''
    UNION ALL
    SELECT toDate(ts) AS day, msisdn, service_id, ${zero} AS e_orders, ${zero} AS e_cancels, ${zero} AS e_trial_orders,
           ${zero} AS e_sms_mt, ${zero} AS e_sms_mo, ${zero} AS e_sms_forwards, toInt64(1) AS e_wap_visits, ${zero} AS e_ivr_calls,
           ${zero} AS e_crbt_sets, ${zero} AS e_crbt_changes, ${zero} AS e_crbt_downloads
    FROM wap_local WHERE service_id != ''
    UNION ALL
    SELECT toDate(ts) AS day, msisdn, access_code AS service_id, ${zero} AS e_orders, ${zero} AS e_cancels, ${zero} AS e_trial_orders,
           ${zero} AS e_sms_mt, ${zero} AS e_sms_mo, ${zero} AS e_sms_forwards, ${zero} AS e_wap_visits, toInt64(1) AS e_ivr_calls,
           ${zero} AS e_crbt_sets, ${zero} AS e_crbt_changes, ${zero} AS e_crbt_downloads
    FROM ivr_local WHERE access_code IN (SELECT service_id FROM services)
    UNION ALL
    SELECT toDate(ts) AS day, msisdn, (SELECT min(service_id) FROM services WHERE category = 'crbt') AS service_id,
           ${zero} AS e_orders, ${zero} AS e_cancels, ${zero} AS e_trial_orders, ${zero} AS e_sms_mt, ${zero} AS e_sms_mo,
           ${zero} AS e_sms_forwards, ${zero} AS e_wap_visits, ${zero} AS e_ivr_calls, toInt64(action = 'set') AS e_crbt_sets,
           toInt64(action = 'change') AS e_crbt_changes, toInt64(action = 'download') AS e_crbt_downloads
    FROM crbt_local WHERE (SELECT count() FROM services WHERE category = 'crbt') > 0
  ) GROUP BY day, msisdn, service_id`;

/** Built once per shard, first: the spells, the month bitmasks and the area sums below read it. */
export const subscriberServiceDaySql = `
  INSERT INTO agg_subscriber_service_day_local (day, msisdn, service_id, orders, cancels, trial_orders, sms_mt, sms_forwards, wap_visits, ivr_calls, crbt_changes, usage_events)
  SELECT day, msisdn, service_id, orders, cancels, trial_orders, sms_mt, sms_forwards, wap_visits, ivr_calls, crbt_changes, usage_events
  FROM (${subscriberServiceDay})`;

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
    WHERE started_on <= day AND ifNull(ended_on, toDate('2105-12-31')) > day
    GROUP BY ${keys}
    UNION ALL
    SELECT ${keys}, ${zero}, ${zero}, toInt64(sum(orders)), toInt64(sum(cancels)), toInt64(sum(trial_orders)), ${zero},
           toInt64(countIf(usage_events > 0)), toInt64(sum(usage_events)), toInt64(sum(sms_mt)), toInt64(sum(sms_forwards)),
           toInt64(sum(wap_visits)), toInt64(sum(ivr_calls)), toInt64(sum(crbt_changes))
    FROM agg_subscriber_service_day_local ANY INNER JOIN ${people} USING msisdn
    GROUP BY ${keys}
    UNION ALL
    SELECT ${keys}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, toInt64(count()), ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}, ${zero}
    FROM (SELECT toDate(ts) AS day, msisdn, service_id FROM orders_local WHERE action = 'subscribe' AND confirmed = 0)
    ANY INNER JOIN ${people} USING msisdn
    GROUP BY ${keys}
  ) GROUP BY ${keys}`;
}

// One row per subscriber active at the start of the observed window, with the features the telecom
// models use: profile, plan, tenure, usage and complaint rates per active day, off-net share of
// messages, usage trend, services held, and the churn label (account closed within 30 days).
// Rates are per active day (up to the closing day), so that an account's silence after it closed
// does not give its closure away. Calls are left out: they come from signalling, which may be loaded
// for a few days only (the demo's last day), when a closed account is silent by definition, so they
// would tell the label rather than predict it. The bill is the last one before the window.
import type { Row } from '../../warehouse/index.ts';
import type { MiningWarehouse } from './mining-warehouse.ts';
import { readSubscriberFeaturesOnClickHouse } from './subscriber-features-clickhouse.ts';

export const subscriberFeatureSql = `
WITH bounds AS (SELECT min(day) AS start_day, max(day) AS end_day FROM agg_subscriber_day),
base AS (
  SELECT s.msisdn, s.brand, s.gender, s.county,
    year(b.start_day) - s.birth_year AS age,
    date_diff('day', s.activated_on, b.start_day) AS tenure_days,
    p.monthly_fee AS plan_fee,
    CASE WHEN s.status = 'closed' AND s.status_changed_on >= b.start_day
              AND s.status_changed_on < b.start_day + INTERVAL 30 DAY THEN 1 ELSE 0 END AS churned,
    CASE WHEN s.status = 'closed' AND s.status_changed_on >= b.start_day
         THEN s.status_changed_on ELSE b.end_day + INTERVAL 1 DAY END AS until_day,
    b.start_day
  FROM subscribers s CROSS JOIN bounds b LEFT JOIN plans p ON p.plan_id = s.plan_id
  WHERE s.activated_on < b.start_day
    AND NOT (s.status IN ('closed', 'suspended') AND s.status_changed_on < b.start_day)
),
active AS (
  SELECT msisdn, greatest(1, date_diff('day', start_day, until_day)) AS active_days FROM base
),
usage AS (
  SELECT a.msisdn,
    sum(a.sms_out) AS sms_out, sum(a.wap_visits) AS wap_visits,
    sum(a.vas_events) AS vas_events,
    sum(CASE WHEN a.day >= CAST(b.until_day AS DATE) - 7 THEN a.sms_out + a.wap_visits + a.vas_events ELSE 0 END) AS recent_events,
    sum(CASE WHEN a.day < b.start_day + 7 THEN a.sms_out + a.wap_visits + a.vas_events ELSE 0 END) AS early_events
  FROM agg_subscriber_day a JOIN base b USING (msisdn)
  WHERE a.day < b.until_day
  GROUP BY a.msisdn
),
complaints AS (
  SELECT i.msisdn, count(*) AS complaint_calls FROM ivr i JOIN base b USING (msisdn)
  WHERE i.access_code = '10086' AND i.ts < b.until_day GROUP BY i.msisdn
),
peers AS (
  SELECT m.msisdn, count(*) AS p2p_sms, count(*) FILTER (WHERE o.msisdn IS NULL) AS offnet_sms
  FROM sms m JOIN base b USING (msisdn) LEFT JOIN subscribers o ON o.msisdn = m.peer
  WHERE m.kind IN ('p2p_mo', 'p2p_mt') AND m.ts < b.until_day
  GROUP BY m.msisdn
),
held AS (
  SELECT t.msisdn, count(*) AS services_held FROM subscriptions t JOIN base b USING (msisdn)
  WHERE t.started_on <= b.start_day AND (t.ended_on IS NULL OR t.ended_on > b.start_day)
  GROUP BY t.msisdn
),
bills AS (
  SELECT msisdn, arg_max(total_fee, month) AS monthly_bill FROM billing, bounds
  WHERE month < date_trunc('month', bounds.start_day) GROUP BY msisdn
)
SELECT b.msisdn, b.brand, b.gender, b.county, b.age, b.tenure_days, b.plan_fee,
  round(coalesce(u.sms_out, 0) / a.active_days, 4) AS sms_per_day,
  round(coalesce(u.wap_visits, 0) / a.active_days, 4) AS wap_per_day,
  round(coalesce(u.vas_events, 0) / a.active_days, 4) AS vas_per_day,
  round((coalesce(u.recent_events, 0) + 1) / (coalesce(u.early_events, 0) + 1), 4) AS usage_trend,
  round(coalesce(c.complaint_calls, 0) / a.active_days, 4) AS complaint_calls_per_day,
  round(CASE WHEN coalesce(p.p2p_sms, 0) = 0 THEN NULL ELSE p.offnet_sms / p.p2p_sms END, 4) AS offnet_sms_share,
  coalesce(h.services_held, 0) AS services_held,
  round(CAST(bl.monthly_bill AS DOUBLE), 2) AS monthly_bill,
  b.churned
FROM base b JOIN active a USING (msisdn)
LEFT JOIN usage u USING (msisdn) LEFT JOIN complaints c USING (msisdn) LEFT JOIN peers p USING (msisdn)
LEFT JOIN held h USING (msisdn) LEFT JOIN bills bl USING (msisdn)
ORDER BY b.msisdn`;

/** The same rows on either engine: on ClickHouse computed per shard (subscriber-features-clickhouse.ts). */
export async function readSubscriberFeatures(warehouse: MiningWarehouse): Promise<Row[]> {
  if (warehouse.engine === 'clickhouse') return readSubscriberFeaturesOnClickHouse(warehouse);
  return warehouse.all(subscriberFeatureSql);
}

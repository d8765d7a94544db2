// The per-subscriber facts of the call-centre profile (table customer_facts), rebuilt whole at the end
// of every load: the windows (last 30 days, last 7 against the 7 before) move with the last complete
// day, so every row changes anyway. As of the last complete day (day-completeness-sql.ts), not the last
// loaded one: a day with orders only (the demo campaigns' answers, a feed that arrives late) would
// count as a day without use in every window and tenure. The lists (bills, orders) keep every loaded
// row: an agent sees yesterday's order even when that day's usage feeds are not in yet. Read from the aggregates where they exist; the complaint calls and the
// SMS peers come from the detail tables, as the churn features do (mining/telecom/subscriber-features.ts).
import { lastCompleteDaySql } from '../day-completeness-sql.ts';
import { ageBandSql, arpuBandSql, tenureBandSql } from '../subscriber-bands.ts';
import type { Warehouse } from '../warehouse.ts';

/** Active use counted by the facts: the same as the active-user measures of agg_subscriber_day. */
const DAY_EVENTS = 'sms_out + ivr_calls + wap_visits + vas_events';

export const customerFactsSql = `
  INSERT INTO customer_facts (msisdn, as_of, brand, region, county, plan_id, plan_name, plan_fee, activated_on,
    birth_year, gender, status, status_changed_on, tenure_months, tenure_band, age_band, arpu_band, bills, services,
    usage, active_days_30d, sms_out_30d, ivr_calls_30d, wap_visits_30d, vas_events_30d, events_last_7d,
    events_prior_7d, complaint_calls_30d, p2p_sms_30d, offnet_sms_30d, cancels_30d)
  WITH win AS (
    SELECT as_of, CAST(as_of - 29 AS DATE) AS from_day, CAST(as_of - 6 AS DATE) AS last7_from,
           CAST(as_of - 13 AS DATE) AS prior7_from
    FROM (SELECT coalesce(${lastCompleteDaySql}, (SELECT max(day) FROM agg_subscriber_day),
                          (SELECT max(activated_on) FROM subscribers)) AS as_of)
  ),
  recent_bills AS (
    SELECT *, row_number() OVER (PARTITION BY msisdn ORDER BY month DESC) AS k FROM billing
  ),
  bills AS (
    SELECT msisdn, arg_max(total_fee, month) AS last_fee,
           CAST(to_json(list({'month': strftime(month, '%Y-%m'), 'totalYuan': total_fee, 'voiceYuan': voice_fee,
             'smsYuan': sms_fee, 'dataYuan': data_fee, 'vasYuan': vas_fee} ORDER BY month)) AS VARCHAR) AS bills
    FROM recent_bills WHERE k <= 6 GROUP BY msisdn
  ),
  spells AS (
    SELECT t.msisdn,
           CAST(to_json(list({'serviceId': t.service_id, 'startedOn': CAST(t.started_on AS VARCHAR),
             'endedOn': CAST(t.ended_on AS VARCHAR), 'channel': t.channel, 'cancelChannel': t.cancel_channel,
             'trial': t.trial, 'trialEndsOn': CAST(t.trial_ends_on AS VARCHAR), 'trialUses': t.trial_uses,
             'fromOpening': t.from_opening} ORDER BY t.started_on, t.service_id)) AS VARCHAR) AS services,
           count(*) FILTER (t.ended_on BETWEEN w.from_day AND w.as_of) AS cancels_30d
    FROM subscriptions t, win w GROUP BY t.msisdn
  ),
  service_use AS (
    SELECT a.msisdn, a.service_id, sum(a.usage_events) AS events, count(*) FILTER (a.usage_events > 0) AS days_used,
           sum(a.sms_mt) AS pushed, sum(a.sms_mo) AS sms_mo, sum(a.wap_visits) AS wap_visits, sum(a.ivr_calls) AS ivr_calls,
           sum(a.crbt_sets + a.crbt_changes + a.crbt_downloads) AS crbt_actions
    FROM agg_subscriber_service_day a, win w WHERE a.day BETWEEN w.from_day AND w.as_of GROUP BY a.msisdn, a.service_id
  ),
  usage AS (
    SELECT msisdn,
           CAST(to_json(list({'serviceId': service_id, 'events': events, 'daysUsed': days_used, 'pushed': pushed,
             'smsMo': sms_mo, 'wapVisits': wap_visits, 'ivrCalls': ivr_calls, 'crbtActions': crbt_actions}
             ORDER BY events DESC, service_id)) AS VARCHAR) AS usage
    FROM service_use GROUP BY msisdn
  ),
  activity AS (
    SELECT a.msisdn, count(*) FILTER (${DAY_EVENTS} > 0) AS active_days, sum(a.sms_out) AS sms_out,
           sum(a.ivr_calls) AS ivr_calls, sum(a.wap_visits) AS wap_visits, sum(a.vas_events) AS vas_events,
           coalesce(sum(${DAY_EVENTS}) FILTER (a.day >= w.last7_from), 0) AS last7,
           coalesce(sum(${DAY_EVENTS}) FILTER (a.day >= w.prior7_from AND a.day < w.last7_from), 0) AS prior7
    FROM agg_subscriber_day a, win w WHERE a.day BETWEEN w.from_day AND w.as_of GROUP BY a.msisdn
  ),
  complaints AS (
    SELECT i.msisdn, count(*) AS calls FROM ivr i, win w
    WHERE i.access_code = '10086' AND i.menu LIKE 'complaint%' AND CAST(i.ts AS DATE) BETWEEN w.from_day AND w.as_of
    GROUP BY i.msisdn
  ),
  peers AS (
    -- A peer that is not one of our subscribers is on another network.
    SELECT m.msisdn, count(*) AS p2p, count(*) FILTER (o.msisdn IS NULL) AS offnet
    FROM sms m CROSS JOIN win w LEFT JOIN subscribers o ON o.msisdn = m.peer
    WHERE m.kind IN ('p2p_mo', 'p2p_mt') AND CAST(m.ts AS DATE) BETWEEN w.from_day AND w.as_of
    GROUP BY m.msisdn
  )
  SELECT u.msisdn, w.as_of, u.brand, u.region, u.county, u.plan_id, p.name, p.monthly_fee, u.activated_on, u.birth_year,
         u.gender, u.status, u.status_changed_on, greatest(0, date_diff('month', u.activated_on, w.as_of)),
         ${tenureBandSql('u.activated_on', 'w.as_of')}, ${ageBandSql('u.birth_year', 'w.as_of')},
         ${arpuBandSql('b.last_fee')}, coalesce(b.bills, '[]'), coalesce(s.services, '[]'), coalesce(x.usage, '[]'),
         coalesce(a.active_days, 0), coalesce(a.sms_out, 0), coalesce(a.ivr_calls, 0), coalesce(a.wap_visits, 0),
         coalesce(a.vas_events, 0), coalesce(a.last7, 0), coalesce(a.prior7, 0), coalesce(c.calls, 0),
         coalesce(e.p2p, 0), coalesce(e.offnet, 0), coalesce(s.cancels_30d, 0)
  FROM subscribers u CROSS JOIN win w
  LEFT JOIN plans p ON p.plan_id = u.plan_id
  LEFT JOIN bills b ON b.msisdn = u.msisdn
  LEFT JOIN spells s ON s.msisdn = u.msisdn
  LEFT JOIN usage x ON x.msisdn = u.msisdn
  LEFT JOIN activity a ON a.msisdn = u.msisdn
  LEFT JOIN complaints c ON c.msisdn = u.msisdn
  LEFT JOIN peers e ON e.msisdn = u.msisdn
  ORDER BY u.msisdn`;

/** Rebuilds customer_facts whole (the loader does it at the end of every rebuild, in its transaction). */
export async function refreshCustomerFacts(warehouse: Warehouse): Promise<void> {
  await warehouse.run('DELETE FROM customer_facts');
  await warehouse.run(customerFactsSql);
}

// Rebuilds the derived tables for the days a load touched, in one transaction, so analyses read small
// aggregates instead of raw events. Days still marked dirty after an interrupted run are rebuilt by
// the next `telmark load`, with or without new files.
import type { Warehouse } from '../warehouse.ts';

export interface RebuildResult {
  days: number;
  ms: number;
}

/** Active use of a service, as opposed to content merely pushed to the subscriber (SP MT messages). */
const USAGE = 'sms_mo + sms_forwards + wap_visits + ivr_calls + crbt_sets + crbt_changes + crbt_downloads';

const subscriptionsSql = `
  INSERT INTO subscriptions
  WITH events AS (
    SELECT msisdn, service_id, CAST(subscribed_on AS TIMESTAMP) AS ts, 'subscribe' AS action, channel, trial, TRUE AS from_opening
    FROM subscriptions_opening
    UNION ALL
    SELECT msisdn, service_id, ts, action, channel, trial, FALSE FROM orders
  ),
  ordered AS (
    SELECT *, lag(action) OVER (PARTITION BY msisdn, service_id ORDER BY ts, action DESC) AS previous_action FROM events
  ),
  starts AS (SELECT * FROM ordered WHERE action = 'subscribe' AND coalesce(previous_action, 'unsubscribe') = 'unsubscribe'),
  ends AS (SELECT msisdn, service_id, ts, channel FROM events WHERE action = 'unsubscribe')
  SELECT s.msisdn, s.service_id, CAST(s.ts AS DATE), CAST(e.ts AS DATE), s.channel, e.channel, s.trial,
         CASE WHEN s.trial AND sv.trial_months > 0 THEN CAST(CAST(s.ts AS DATE) + to_months(sv.trial_months) AS DATE) END,
         s.from_opening
  FROM starts s
  ASOF LEFT JOIN ends e ON e.msisdn = s.msisdn AND e.service_id = s.service_id AND e.ts >= s.ts
  LEFT JOIN services sv ON sv.service_id = s.service_id`;

const subscriberServiceDaySql = `
  INSERT INTO agg_subscriber_service_day
  WITH crbt_service AS (SELECT min(service_id) AS service_id FROM services WHERE category = 'crbt'),
  parts AS (
    SELECT CAST(ts AS DATE) AS day, msisdn, service_id,
           count(*) FILTER (action = 'subscribe') AS orders, count(*) FILTER (action = 'unsubscribe') AS cancels,
           count(*) FILTER (action = 'subscribe' AND trial) AS trial_orders,
           0 AS sms_mt, 0 AS sms_mo, 0 AS sms_forwards, 0 AS wap_visits, 0 AS wap_bytes, 0 AS ivr_calls, 0 AS ivr_seconds,
           0 AS crbt_sets, 0 AS crbt_changes, 0 AS crbt_downloads
    FROM orders WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(ts AS DATE), msisdn, service_id, 0, 0, 0,
           count(*) FILTER (kind = 'sp_mt'), count(*) FILTER (kind = 'sp_mo'), count(*) FILTER (forwarded), 0, 0, 0, 0, 0, 0, 0
    FROM sms WHERE service_id IS NOT NULL AND CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(ts AS DATE), msisdn, service_id, 0, 0, 0, 0, 0, 0, count(*), sum(bytes), 0, 0, 0, 0, 0
    FROM wap WHERE service_id IS NOT NULL AND CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(i.ts AS DATE), i.msisdn, s.service_id, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(i.duration_s), 0, 0, 0
    FROM ivr i JOIN services s ON s.service_id = i.access_code
    WHERE CAST(i.ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(c.ts AS DATE), c.msisdn, cs.service_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           count(*) FILTER (c.action = 'set'), count(*) FILTER (c.action = 'change'), count(*) FILTER (c.action = 'download')
    FROM crbt c, crbt_service cs WHERE cs.service_id IS NOT NULL AND CAST(c.ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
  )
  SELECT day, msisdn, service_id, sum(orders), sum(cancels), sum(trial_orders), sum(sms_mt), sum(sms_mo), sum(sms_forwards),
         sum(wap_visits), sum(wap_bytes), sum(ivr_calls), sum(ivr_seconds), sum(crbt_sets), sum(crbt_changes), sum(crbt_downloads),
         sum(${USAGE})
  FROM parts GROUP BY day, msisdn, service_id`;

// Active means own use in the business feeds (SMS sent, IVR, WAP, a value-added service). Calls come
// from signalling, which an operator may deliver for some days only, so they are kept but do not
// decide activity: otherwise the active rate would jump on the days signalling was loaded.
const subscriberDaySql = `
  INSERT INTO agg_subscriber_day
  WITH parts AS (
    SELECT CAST(ts AS DATE) AS day, msisdn,
           count(*) FILTER (event = 'call_out') AS calls_out, count(*) FILTER (event = 'call_in') AS calls_in,
           sum(duration_s) FILTER (event IN ('call_out', 'call_in')) AS call_seconds,
           0 AS sms_out, 0 AS ivr_calls, 0 AS wap_visits, 0 AS vas_events,
           count(*) AS signalling_events
    FROM signalling WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(ts AS DATE), msisdn, 0, 0, 0, count(*) FILTER (kind IN ('p2p_mo', 'sp_mo')), 0, 0, 0, 0
    FROM sms WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(ts AS DATE), msisdn, 0, 0, 0, 0, count(*), 0, 0, 0
    FROM ivr WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT CAST(ts AS DATE), msisdn, 0, 0, 0, 0, 0, count(*), 0, 0
    FROM wap WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL
    UNION ALL
    SELECT day, msisdn, 0, 0, 0, 0, 0, 0, sum(usage_events), 0
    FROM agg_subscriber_service_day WHERE day IN (SELECT day FROM rebuild_days) GROUP BY ALL
  )
  SELECT day, msisdn, sum(calls_out), sum(calls_in), coalesce(sum(call_seconds), 0), sum(sms_out), sum(ivr_calls),
         sum(wap_visits), sum(vas_events), sum(signalling_events)
  FROM parts GROUP BY day, msisdn`;

const areaServiceDaySql = `
  INSERT INTO agg_area_service_day
  WITH held AS (
    SELECT d.day, u.region, u.county, u.brand, s.service_id, count(*) AS holders
    FROM rebuild_days d
    JOIN subscriptions s ON s.started_on <= d.day AND (s.ended_on IS NULL OR s.ended_on > d.day)
    JOIN subscribers u ON u.msisdn = s.msisdn
    GROUP BY ALL
  ),
  activity AS (
    SELECT a.day, u.region, u.county, u.brand, a.service_id,
           sum(a.orders) AS orders, sum(a.cancels) AS cancels, sum(a.trial_orders) AS trial_orders,
           count(DISTINCT a.msisdn) FILTER (a.usage_events > 0) AS users_active, sum(a.usage_events) AS usage_events
    FROM agg_subscriber_service_day a JOIN subscribers u ON u.msisdn = a.msisdn
    WHERE a.day IN (SELECT day FROM rebuild_days)
    GROUP BY ALL
  ),
  unconfirmed AS (
    SELECT CAST(o.ts AS DATE) AS day, u.region, u.county, u.brand, o.service_id, count(*) AS unconfirmed_orders
    FROM orders o JOIN subscribers u ON u.msisdn = o.msisdn
    WHERE o.action = 'subscribe' AND NOT o.confirmed AND CAST(o.ts AS DATE) IN (SELECT day FROM rebuild_days)
    GROUP BY ALL
  ),
  keys AS (
    SELECT day, region, county, brand, service_id FROM held
    UNION SELECT day, region, county, brand, service_id FROM activity
    UNION SELECT day, region, county, brand, service_id FROM unconfirmed
  )
  SELECT k.day, k.region, k.county, k.brand, k.service_id,
         coalesce(h.holders, 0), coalesce(a.orders, 0), coalesce(a.cancels, 0), coalesce(a.trial_orders, 0),
         coalesce(c.unconfirmed_orders, 0), coalesce(a.users_active, 0), coalesce(a.usage_events, 0)
  FROM keys k
  LEFT JOIN held h USING (day, region, county, brand, service_id)
  LEFT JOIN activity a USING (day, region, county, brand, service_id)
  LEFT JOIN unconfirmed c USING (day, region, county, brand, service_id)`;

const areaDaySql = `
  INSERT INTO agg_area_day
  WITH base AS (
    SELECT d.day, u.region, u.county, u.brand,
           count(*) FILTER (u.activated_on <= d.day AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= d.day)) AS subscribers_active,
           count(*) FILTER (u.activated_on = d.day) AS activations,
           count(*) FILTER (u.status = 'closed' AND u.status_changed_on = d.day) AS closures
    FROM rebuild_days d CROSS JOIN subscribers u GROUP BY ALL
  ),
  used AS (
    SELECT a.day, u.region, u.county, u.brand, count(*) AS users_active
    FROM agg_subscriber_day a JOIN subscribers u ON u.msisdn = a.msisdn
    WHERE a.day IN (SELECT day FROM rebuild_days) AND (a.sms_out + a.ivr_calls + a.wap_visits + a.vas_events) > 0
    GROUP BY ALL
  )
  SELECT b.day, b.region, b.county, b.brand, b.subscribers_active, coalesce(x.users_active, 0), b.activations, b.closures
  FROM base b LEFT JOIN used x USING (day, region, county, brand)`;

const channelServiceDaySql = `
  INSERT INTO agg_channel_service_day
  SELECT CAST(o.ts AS DATE), o.channel, o.service_id, u.county, u.brand,
         count(*) FILTER (o.action = 'subscribe'), count(*) FILTER (o.action = 'unsubscribe'),
         count(*) FILTER (o.action = 'subscribe' AND NOT o.confirmed)
  FROM orders o JOIN subscribers u ON u.msisdn = o.msisdn
  WHERE CAST(o.ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL`;

const ivrAreaDaySql = `
  INSERT INTO agg_ivr_area_day
  SELECT CAST(i.ts AS DATE), u.region, u.county, u.brand, i.access_code, count(*), count(DISTINCT i.msisdn), sum(i.duration_s)
  FROM ivr i JOIN subscribers u ON u.msisdn = i.msisdn
  WHERE CAST(i.ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL`;

const cellHourSql = `
  INSERT INTO agg_cell_hour
  SELECT CAST(ts AS DATE), hour(ts), cell_id, count(*), count(DISTINCT msisdn), count(*) FILTER (event = 'call_out'),
         count(*) FILTER (event = 'call_out' AND peer = '114'), count(*) FILTER (event = 'call_out' AND peer = '12580')
  FROM signalling WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL`;

const perDayTables = [
  ['agg_subscriber_service_day', subscriberServiceDaySql],
  ['agg_subscriber_day', subscriberDaySql],
  ['agg_area_service_day', areaServiceDaySql],
  ['agg_area_day', areaDaySql],
  ['agg_channel_service_day', channelServiceDaySql],
  ['agg_ivr_area_day', ivrAreaDaySql],
  ['agg_cell_hour', cellHourSql],
] as const;

const dailyDetailTables = ['orders', 'sms', 'wap', 'ivr', 'crbt', 'web', 'signalling'];

export async function rebuildDerived(
  warehouse: Warehouse,
  onStep?: (step: string, done: number, total: number) => void,
): Promise<RebuildResult> {
  const started = Date.now();
  const all = (await warehouse.scalar(`SELECT count(*) FROM meta WHERE key = 'rebuild_all' AND value = '1'`)) > 0;
  const dirty = await warehouse.scalar('SELECT count(*) FROM dirty_days');
  if (!all && dirty === 0) return { days: 0, ms: 0 };
  return warehouse.transaction(async () => {
    await warehouse.run('CREATE OR REPLACE TEMP TABLE rebuild_days (day DATE PRIMARY KEY)');
    if (all) {
      const union = dailyDetailTables.map((t) => `SELECT DISTINCT CAST(ts AS DATE) FROM ${t}`).join(' UNION ');
      await warehouse.run(`INSERT INTO rebuild_days ${union}`);
    } else {
      await warehouse.run('INSERT INTO rebuild_days SELECT day FROM dirty_days');
    }
    const days = await warehouse.scalar('SELECT count(*) FROM rebuild_days');
    const total = perDayTables.length + 1;
    onStep?.('subscriptions', 0, total);
    await warehouse.run('DELETE FROM subscriptions');
    await warehouse.run(subscriptionsSql);
    let done = 1;
    for (const [table, sql] of perDayTables) {
      onStep?.(table, done, total);
      if (all) await warehouse.run(`DELETE FROM ${table}`);
      else await warehouse.run(`DELETE FROM ${table} WHERE day IN (SELECT day FROM rebuild_days)`);
      await warehouse.run(sql);
      done++;
    }
    onStep?.('done', total, total);
    await warehouse.run('DELETE FROM dirty_days');
    await warehouse.run(`DELETE FROM meta WHERE key = 'rebuild_all'`);
    await warehouse.run('DROP TABLE temp.main.rebuild_days');
    return { days, ms: Date.now() - started };
  });
}

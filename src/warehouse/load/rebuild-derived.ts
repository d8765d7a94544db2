// Rebuilds the derived tables for the days a load touched, in one transaction, so analyses read small
// aggregates instead of raw events. Days still marked dirty after an interrupted run are rebuilt by
// the next `telmark load`, with or without new files.
import { ageBandSql, arpuBandSql, tenureBandSql } from '../subscriber-bands.ts';
import { refreshCustomerFacts } from './customer-facts-sql.ts';
import type { Warehouse } from '../warehouse.ts';
import { cellBrandDaySql, ivrMenuHourSql, smsAreaDaySql } from './area-usage-aggregates.ts';

export interface RebuildResult {
  days: number;
  ms: number;
  /** First and last day rebuilt (for the anomaly detectors that run after a load). */
  firstDay?: string;
  lastDay?: string;
}

/** Active use of a service, as opposed to content merely pushed to the subscriber (SP MT messages). */
const USAGE = 'sms_mo + sms_forwards + wap_visits + ivr_calls + crbt_sets + crbt_changes + crbt_downloads';

const subscriptionsSql = `
  INSERT INTO subscriptions (msisdn, service_id, started_on, ended_on, channel, cancel_channel, trial, trial_ends_on, from_opening, trial_uses)
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
         s.from_opening, NULL
  FROM starts s
  ASOF LEFT JOIN ends e ON e.msisdn = s.msisdn AND e.service_id = s.service_id AND e.ts >= s.ts
  LEFT JOIN services sv ON sv.service_id = s.service_id`;

const subscriberServiceDaySql = `
  INSERT INTO agg_subscriber_service_day (day, msisdn, service_id, orders, cancels, trial_orders, sms_mt, sms_mo, sms_forwards, wap_visits, wap_bytes, ivr_calls, ivr_seconds, crbt_sets, crbt_changes, crbt_downloads, usage_events)
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
  INSERT INTO agg_subscriber_day (day, msisdn, calls_out, calls_in, call_seconds, sms_out, ivr_calls, wap_visits, vas_events, signalling_events)
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
  INSERT INTO agg_area_service_day (day, region, county, brand, plan_id, service_id, holders, paying_holders, orders, cancels, trial_orders, unconfirmed_orders, users_active, usage_events, sms_mt, sms_forwards, wap_visits, ivr_calls, crbt_changes)
  WITH held AS (
    SELECT d.day, u.region, u.county, u.brand, u.plan_id, s.service_id, count(*) AS holders,
           count(*) FILTER (s.trial_ends_on IS NULL OR s.trial_ends_on <= d.day) AS paying_holders
    FROM rebuild_days d
    JOIN subscriptions s ON s.started_on <= d.day AND (s.ended_on IS NULL OR s.ended_on > d.day)
    JOIN subscribers u ON u.msisdn = s.msisdn
    GROUP BY ALL
  ),
  activity AS (
    -- One row per subscriber x service x day, so count(*) counts users.
    SELECT a.day, u.region, u.county, u.brand, u.plan_id, a.service_id,
           sum(a.orders) AS orders, sum(a.cancels) AS cancels, sum(a.trial_orders) AS trial_orders,
           count(*) FILTER (a.usage_events > 0) AS users_active, sum(a.usage_events) AS usage_events,
           sum(a.sms_mt) AS sms_mt, sum(a.sms_forwards) AS sms_forwards, sum(a.wap_visits) AS wap_visits,
           sum(a.ivr_calls) AS ivr_calls, sum(a.crbt_changes) AS crbt_changes
    FROM agg_subscriber_service_day a JOIN subscribers u ON u.msisdn = a.msisdn
    WHERE a.day IN (SELECT day FROM rebuild_days)
    GROUP BY ALL
  ),
  unconfirmed AS (
    SELECT CAST(o.ts AS DATE) AS day, u.region, u.county, u.brand, u.plan_id, o.service_id, count(*) AS unconfirmed_orders
    FROM orders o JOIN subscribers u ON u.msisdn = o.msisdn
    WHERE o.action = 'subscribe' AND NOT o.confirmed AND CAST(o.ts AS DATE) IN (SELECT day FROM rebuild_days)
    GROUP BY ALL
  ),
  keys AS (
    SELECT day, region, county, brand, plan_id, service_id FROM held
    UNION SELECT day, region, county, brand, plan_id, service_id FROM activity
    UNION SELECT day, region, county, brand, plan_id, service_id FROM unconfirmed
  )
  SELECT k.day, k.region, k.county, k.brand, k.plan_id, k.service_id,
         coalesce(h.holders, 0), coalesce(h.paying_holders, 0), coalesce(a.orders, 0), coalesce(a.cancels, 0),
         coalesce(a.trial_orders, 0), coalesce(c.unconfirmed_orders, 0), coalesce(a.users_active, 0),
         coalesce(a.usage_events, 0), coalesce(a.sms_mt, 0), coalesce(a.sms_forwards, 0), coalesce(a.wap_visits, 0),
         coalesce(a.ivr_calls, 0), coalesce(a.crbt_changes, 0)
  FROM keys k
  LEFT JOIN held h USING (day, region, county, brand, plan_id, service_id)
  LEFT JOIN activity a USING (day, region, county, brand, plan_id, service_id)
  LEFT JOIN unconfirmed c USING (day, region, county, brand, plan_id, service_id)`;

const areaDaySql = `
  INSERT INTO agg_area_day (day, region, county, brand, subscribers_active, users_active, activations, closures)
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
  INSERT INTO agg_channel_service_day (day, channel, service_id, county, brand, orders, cancels, unconfirmed_orders)
  SELECT CAST(o.ts AS DATE), o.channel, o.service_id, u.county, u.brand,
         count(*) FILTER (o.action = 'subscribe'), count(*) FILTER (o.action = 'unsubscribe'),
         count(*) FILTER (o.action = 'subscribe' AND NOT o.confirmed)
  FROM orders o JOIN subscribers u ON u.msisdn = o.msisdn
  WHERE CAST(o.ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL`;

const ivrAreaDaySql = `
  INSERT INTO agg_ivr_area_day (day, region, county, brand, access_code, calls, callers, seconds)
  SELECT CAST(i.ts AS DATE), u.region, u.county, u.brand, i.access_code, count(*), count(DISTINCT i.msisdn), sum(i.duration_s)
  FROM ivr i JOIN subscribers u ON u.msisdn = i.msisdn
  WHERE CAST(i.ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL`;

const cellHourSql = `
  INSERT INTO agg_cell_hour (day, hour, cell_id, events, subscribers, calls_out, calls_114, calls_12580)
  SELECT CAST(ts AS DATE), hour(ts), cell_id, count(*), count(DISTINCT msisdn), count(*) FILTER (event = 'call_out'),
         count(*) FILTER (event = 'call_out' AND peer = '114'), count(*) FILTER (event = 'call_out' AND peer = '12580')
  FROM signalling WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days) GROUP BY ALL`;

/** Distinct subscribers seen in each kind of area per day (from the day's signalling), by home county and brand. */
const areaTypeDaySql = `
  INSERT INTO agg_area_type_day (day, area_type, region, county, brand, subscribers)
  WITH seen AS (
    SELECT DISTINCT CAST(s.ts AS DATE) AS day, c.area_type, s.msisdn
    FROM signalling s JOIN cells c ON c.cell_id = s.cell_id
    WHERE CAST(s.ts AS DATE) IN (SELECT day FROM rebuild_days)
  )
  SELECT seen.day, seen.area_type, u.region, u.county, u.brand, count(*)
  FROM seen JOIN subscribers u ON u.msisdn = seen.msisdn
  GROUP BY ALL`;

const perDayTables = [
  ['agg_subscriber_service_day', subscriberServiceDaySql],
  ['agg_subscriber_day', subscriberDaySql],
  ['agg_area_service_day', areaServiceDaySql],
  ['agg_area_day', areaDaySql],
  ['agg_channel_service_day', channelServiceDaySql],
  ['agg_ivr_area_day', ivrAreaDaySql],
  ['agg_cell_hour', cellHourSql],
  ['agg_area_type_day', areaTypeDaySql],
  ['agg_sms_area_day', smsAreaDaySql],
  ['agg_ivr_menu_hour', ivrMenuHourSql],
  ['agg_cell_brand_day', cellBrandDaySql],
] as const;

/**
 * Whole months folded into day bitmasks, for the months of `rebuild_days`: use from
 * agg_subscriber_service_day, holding from the subscriptions open at the end of each day.
 */
const subscriberServiceMonthSql = `
  INSERT INTO agg_subscriber_service_month (month, msisdn, service_id, held_days, used_days, ivr_days, wap_days)
  WITH months AS (SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS month FROM rebuild_days),
  used AS (
    SELECT CAST(date_trunc('month', day) AS DATE) AS month, msisdn, service_id,
           CAST(1 AS UINTEGER) << (dayofmonth(day) - 1) AS bit, ivr_calls, wap_visits
    FROM agg_subscriber_service_day
    WHERE usage_events > 0 AND CAST(date_trunc('month', day) AS DATE) IN (SELECT month FROM months)
  ),
  held AS (
    -- Days first..last of the month, clipped to the spell [started_on, ended_on).
    SELECT m.month, s.msisdn, s.service_id,
           CASE WHEN s.started_on > m.month THEN dayofmonth(s.started_on) ELSE 1 END AS first,
           CASE WHEN s.ended_on IS NOT NULL AND s.ended_on <= last_day(m.month) THEN dayofmonth(s.ended_on) - 1
                ELSE dayofmonth(last_day(m.month)) END AS last
    FROM months m JOIN subscriptions s ON s.started_on <= last_day(m.month) AND (s.ended_on IS NULL OR s.ended_on > m.month)
  ),
  parts AS (
    SELECT month, msisdn, service_id,
           CAST((CAST(1 AS UBIGINT) << last) - (CAST(1 AS UBIGINT) << (first - 1)) AS UINTEGER) AS held_days,
           CAST(0 AS UINTEGER) AS used_days, CAST(0 AS UINTEGER) AS ivr_days, CAST(0 AS UINTEGER) AS wap_days
    FROM held WHERE last >= first
    UNION ALL
    SELECT month, msisdn, service_id, 0, bit_or(bit), coalesce(bit_or(bit) FILTER (ivr_calls > 0), 0),
           coalesce(bit_or(bit) FILTER (wap_visits > 0), 0)
    FROM used GROUP BY month, msisdn, service_id
  )
  SELECT month, msisdn, service_id, bit_or(held_days), bit_or(used_days), bit_or(ivr_days), bit_or(wap_days)
  FROM parts GROUP BY month, msisdn, service_id`;

/**
 * Subscribers and active users per segment x day, for the days of `rebuild_days`. The ARPU band is
 * that of the latest billed month, so a new month of bills rebuilds every day of this table.
 */
const segmentDaySql = `
  INSERT INTO agg_segment_day (day, region, county, brand, plan_id, tenure_band, age_band, arpu_band, subscribers_active, users_active)
  WITH people AS (
    SELECT u.msisdn, u.region, u.county, u.brand, u.plan_id, u.activated_on, u.birth_year, u.status, u.status_changed_on,
           ${arpuBandSql('b.total_fee')} AS arpu_band
    FROM subscribers u LEFT JOIN billing b ON b.msisdn = u.msisdn AND b.month = (SELECT max(month) FROM billing)
  ),
  parts AS (
    SELECT d.day, p.region, p.county, p.brand, p.plan_id, ${tenureBandSql('p.activated_on', 'd.day')} AS tenure_band,
           ${ageBandSql('p.birth_year', 'd.day')} AS age_band, p.arpu_band, count(*) AS subscribers_active, 0 AS users_active
    FROM rebuild_days d
    JOIN people p ON p.activated_on <= d.day AND NOT (p.status IN ('closed', 'suspended') AND p.status_changed_on <= d.day)
    GROUP BY ALL
    UNION ALL
    SELECT a.day, p.region, p.county, p.brand, p.plan_id, ${tenureBandSql('p.activated_on', 'a.day')},
           ${ageBandSql('p.birth_year', 'a.day')}, p.arpu_band, 0, count(*)
    FROM agg_subscriber_day a JOIN people p ON p.msisdn = a.msisdn
    WHERE a.day IN (SELECT day FROM rebuild_days) AND (a.sms_out + a.ivr_calls + a.wap_visits + a.vas_events) > 0
    GROUP BY ALL
  )
  SELECT day, region, county, brand, plan_id, tenure_band, age_band, arpu_band, sum(subscribers_active), sum(users_active)
  FROM parts GROUP BY ALL`;

/** Every month of bills per segment: tenure and age as of the month's last day, the bill's own ARPU band. */
const billingSegmentMonthSql = `
  INSERT INTO agg_billing_segment_month (month, region, county, brand, plan_id, tenure_band, age_band, arpu_band, billed_subscribers, revenue, voice_fee, sms_fee, data_fee, vas_fee)
  SELECT b.month, u.region, u.county, u.brand, u.plan_id,
         CASE WHEN u.msisdn IS NOT NULL THEN ${tenureBandSql('u.activated_on', 'last_day(b.month)')} END,
         CASE WHEN u.msisdn IS NOT NULL THEN ${ageBandSql('u.birth_year', 'last_day(b.month)')} END,
         ${arpuBandSql('b.total_fee')}, count(*), sum(b.total_fee), sum(b.voice_fee), sum(b.sms_fee), sum(b.data_fee),
         sum(b.vas_fee)
  FROM billing b LEFT JOIN subscribers u ON u.msisdn = b.msisdn
  GROUP BY ALL`;

/** Uses of the service during each free trial, once the per-day use of the trial's days is known. */
const trialUsesSql = `
  UPDATE subscriptions SET trial_uses = (
    SELECT coalesce(sum(a.usage_events), 0) FROM agg_subscriber_service_day a
    WHERE a.msisdn = subscriptions.msisdn AND a.service_id = subscriptions.service_id
      AND a.day >= subscriptions.started_on AND a.day < subscriptions.trial_ends_on
  )
  WHERE trial_ends_on IS NOT NULL`;

/**
 * The roll-ups of the per-subscriber tables, the snapshots and the signalling, for the days of `rebuild_days`
 * (exported for the KPI benchmark, which synthesises the per-subscriber tables and rolls them up here).
 */
export const rollupSql = {
  subscriptions_trial_uses: trialUsesSql,
  agg_area_service_day: areaServiceDaySql,
  agg_area_day: areaDaySql,
  agg_subscriber_service_month: subscriberServiceMonthSql,
  agg_segment_day: segmentDaySql,
  agg_billing_segment_month: billingSegmentMonthSql,
  agg_area_type_day: areaTypeDaySql,
} as const;

const dailyDetailTables = ['orders', 'sms', 'wap', 'ivr', 'crbt', 'web', 'signalling'];

export async function rebuildDerived(
  warehouse: Warehouse,
  onStep?: (step: string, done: number, total: number) => void,
): Promise<RebuildResult> {
  const started = Date.now();
  const flag = async (key: string) =>
    (await warehouse.scalar(`SELECT count(*) FROM meta WHERE key = ? AND value = '1'`, [key])) > 0;
  const all = await flag('rebuild_all');
  const bills = all || (await flag('rebuild_billing'));
  const dirty = await warehouse.scalar('SELECT count(*) FROM dirty_days');
  if (!all && !bills && dirty === 0) return { days: 0, ms: 0 };
  return warehouse.transaction(async () => {
    await warehouse.run('CREATE OR REPLACE TEMP TABLE rebuild_days (day DATE PRIMARY KEY)');
    if (all) {
      const union = dailyDetailTables.map((t) => `SELECT DISTINCT CAST(ts AS DATE) FROM ${t}`).join(' UNION ');
      await warehouse.run(`INSERT INTO rebuild_days (day) ${union}`);
    } else {
      await warehouse.run('INSERT INTO rebuild_days (day) SELECT day FROM dirty_days');
      // An order on an old day changes who holds the service on every later day: rebuild those too.
      // Loads that append new days (the usual case) have no later days, so this costs nothing then.
      await warehouse.run(
        `INSERT OR IGNORE INTO rebuild_days (day) SELECT DISTINCT day FROM agg_area_day WHERE day > (SELECT min(day) FROM dirty_days)`,
      );
    }
    const days = await warehouse.scalar('SELECT count(*) FROM rebuild_days');
    const span = await warehouse.one<{ first: string | null; last: string | null }>(
      'SELECT CAST(min(day) AS VARCHAR) AS first, CAST(max(day) AS VARCHAR) AS last FROM rebuild_days',
    );
    // Steps: subscriptions, the per-day tables, trial uses, months, segments, bills, customer facts.
    const total = perDayTables.length + 6;
    let done = 0;
    if (all || dirty > 0) {
      onStep?.('subscriptions', done, total);
      await warehouse.run('DELETE FROM subscriptions');
      await warehouse.run(subscriptionsSql);
      done++;
      for (const [table, sql] of perDayTables) {
        onStep?.(table, done, total);
        await deleteDays(warehouse, table, all);
        await warehouse.run(sql);
        done++;
      }
      onStep?.('subscriptions_trial_uses', done++, total);
      await warehouse.run(trialUsesSql);
      onStep?.('agg_subscriber_service_month', done++, total);
      await warehouse.run(
        `DELETE FROM agg_subscriber_service_month WHERE month IN (SELECT DISTINCT date_trunc('month', day) FROM rebuild_days)`,
      );
      await warehouse.run(subscriberServiceMonthSql);
    }
    done = perDayTables.length + 3;
    onStep?.('agg_segment_day', done, total);
    if (bills) {
      // The ARPU band of every day may have changed: all loaded days.
      await warehouse.run('INSERT OR IGNORE INTO rebuild_days (day) SELECT DISTINCT day FROM agg_area_day');
      await warehouse.run('DELETE FROM agg_segment_day');
    } else {
      await deleteDays(warehouse, 'agg_segment_day', false);
    }
    await warehouse.run(segmentDaySql);
    done++;
    if (bills) {
      onStep?.('agg_billing_segment_month', done, total);
      await warehouse.run('DELETE FROM agg_billing_segment_month');
      await warehouse.run(billingSegmentMonthSql);
    }
    // Last: the call centre's per-subscriber facts read every table rebuilt above.
    onStep?.('customer_facts', total - 1, total);
    await refreshCustomerFacts(warehouse);
    onStep?.('done', total, total);
    await warehouse.run('DELETE FROM dirty_days');
    await warehouse.run(`DELETE FROM meta WHERE key IN ('rebuild_all', 'rebuild_billing')`);
    await bumpDataVersion(warehouse);
    await warehouse.run('DROP TABLE temp.main.rebuild_days');
    return { days, ms: Date.now() - started, firstDay: span?.first ?? undefined, lastDay: span?.last ?? undefined };
  });
}

async function deleteDays(warehouse: Warehouse, table: string, all: boolean): Promise<void> {
  if (all) await warehouse.run(`DELETE FROM ${table}`);
  else await warehouse.run(`DELETE FROM ${table} WHERE day IN (SELECT day FROM rebuild_days)`);
}

/** Readers that cache results (the API) compare this counter to know the aggregates changed. */
async function bumpDataVersion(warehouse: Warehouse): Promise<void> {
  await warehouse.run(
    `INSERT INTO meta (key, value) VALUES ('data_version', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR)`,
  );
}

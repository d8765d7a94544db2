// One customer's facts row on a ClickHouse warehouse: the same row DuckDB's load keeps in customer_facts
// (warehouse/load/customer-facts-sql.ts), computed when it is asked for, from the one shard that holds
// the subscriber (Telmark's CityHash64 names it) and that subscriber's rows only. Nothing is kept per
// subscriber beside the detail: a profile is a handful of keyed reads on one shard, plus one question
// to the whole cluster (which of the customer's SMS peers are our subscribers). The window (the last
// complete day and the 29 before) is the facts' as on DuckDB.
import { loadCompleteDays } from '../metrics/index.ts';
import { readFeatureWindowOnClickHouse } from '../mining/telecom/index.ts';
import {
  type ClickHouseWarehouse,
  clickhouseBandSql,
  clickhouseLiteral,
  shardOf,
} from '../warehouse/clickhouse/index.ts';
import type { Row } from '../warehouse/index.ts';
import type { BillMonth } from './customer-profile.ts';
import type { FactsRow } from './read-customer-profile.ts';
import type { CustomerRows } from './read-customer-rows.ts';

/** DuckDB's as_of: the last complete day, else the last day of use, else the last activation. */
export async function readFactsDayOnClickHouse(cluster: ClickHouseWarehouse): Promise<string | undefined> {
  const { lastCompleteDay } = await loadCompleteDays(cluster);
  if (lastCompleteDay) return lastCompleteDay;
  const window = await readFeatureWindowOnClickHouse(cluster).catch(() => undefined);
  if (window) return window.endDay;
  const row = await cluster.one<{ n: string; day: string }>(
    'SELECT toString(count()) AS n, toString(max(activated_on)) AS day FROM subscribers',
  );
  return row && Number(row.n) > 0 ? row.day : undefined;
}

const shift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** ClickHouse's JSON gives 64-bit integers as text. */
const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** The facts row of `msisdn` as of `asOf`, read on its shard; undefined when no subscriber has the number. */
export async function readCustomerFactsOnClickHouse(
  cluster: ClickHouseWarehouse,
  msisdn: string,
  asOf: string,
): Promise<FactsRow | undefined> {
  const shard = cluster.shards[shardOf(msisdn, cluster.shards.length)]!;
  const on = <T extends Row>(sql: string) => cluster.allOn<T>(shard, sql);
  const who = clickhouseLiteral(msisdn);
  const d = `toDate(${clickhouseLiteral(asOf)})`;
  const fromDay = shift(asOf, -29);
  const inWindow = (column: string) => `${column} BETWEEN toDate(${clickhouseLiteral(fromDay)}) AND ${d}`;

  const [subscriber] = await on<Row>(
    `SELECT brand, region, county, plan_id, toString(activated_on) AS activated_text, gender, status,
       ((toYear(${d}) * 12 + toMonth(${d})) - (toYear(activated_on) * 12 + toMonth(activated_on))) AS months,
       ${clickhouseBandSql.tenure('activated_on', d)} AS tenure_band, ${clickhouseBandSql.age('birth_year', d)} AS age_band
     FROM subscribers_local WHERE msisdn = ${who} LIMIT 1`,
  );
  if (!subscriber) return undefined;
  const [plan, bills, spells, serviceDays, sms, ivr, wap, crbt] = await Promise.all([
    on<{ name: string; fee: number }>(
      `SELECT name, toFloat64(monthly_fee) AS fee FROM plans WHERE plan_id = ${clickhouseLiteral(String(subscriber.plan_id))} LIMIT 1`,
    ),
    on<Row>(
      `SELECT substring(toString(month), 1, 7) AS m, toFloat64(total_fee) AS total, toFloat64(voice_fee) AS voice,
         toFloat64(sms_fee) AS sms, toFloat64(data_fee) AS data, toFloat64(vas_fee) AS vas,
         ${clickhouseBandSql.arpu('toFloat64(total_fee)')} AS band
       FROM billing_local WHERE msisdn = ${who} ORDER BY month DESC LIMIT 6`,
    ),
    on<Row>(
      `SELECT service_id, toString(started_on) AS started, ended_on, channel, cancel_channel, trial, trial_ends_on,
         trial_uses, from_opening
       FROM subscriptions_local WHERE msisdn = ${who} ORDER BY started_on, service_id`,
    ),
    on<Row>(
      `SELECT toString(day) AS d, service_id, usage_events, sms_mt, wap_visits, ivr_calls
       FROM agg_subscriber_service_day_local WHERE msisdn = ${who} AND ${inWindow('day')}`,
    ),
    on<Row>(
      `SELECT toString(toDate(ts)) AS d, service_id, kind, peer FROM sms_local
       WHERE msisdn = ${who} AND ${inWindow('toDate(ts)')}`,
    ),
    on<Row>(
      `SELECT toString(toDate(ts)) AS d, access_code, menu FROM ivr_local WHERE msisdn = ${who} AND ${inWindow('toDate(ts)')}`,
    ),
    on<{ d: string; visits: string }>(
      `SELECT toString(toDate(ts)) AS d, toString(count()) AS visits FROM wap_local
       WHERE msisdn = ${who} AND ${inWindow('toDate(ts)')} GROUP BY d`,
    ),
    on<{ actions: string; service: string; services: string }>(
      `SELECT toString(count()) AS actions,
         (SELECT min(service_id) FROM services WHERE category = 'crbt') AS service,
         (SELECT toString(count()) FROM services WHERE category = 'crbt') AS services
       FROM crbt_local WHERE msisdn = ${who} AND ${inWindow('toDate(ts)')}`,
    ),
  ]);

  // Use per day, as agg_subscriber_day: SMS sent, IVR calls, WAP visits, value-added use.
  const days = new Map<string, { sms: number; ivr: number; wap: number; vas: number }>();
  const day = (key: string) => {
    const found = days.get(key) ?? { sms: 0, ivr: 0, wap: 0, vas: 0 };
    days.set(key, found);
    return found;
  };
  for (const r of sms) if (r.kind === 'p2p_mo' || r.kind === 'sp_mo') day(String(r.d)).sms++;
  for (const r of ivr) day(String(r.d)).ivr++;
  for (const r of wap) day(r.d).wap += n(r.visits);
  for (const r of serviceDays) day(String(r.d)).vas += n(r.usage_events);
  const last7From = shift(asOf, -6);
  const prior7From = shift(asOf, -13);
  let activeDays = 0;
  let last7 = 0;
  let prior7 = 0;
  const totals = { sms: 0, ivr: 0, wap: 0, vas: 0 };
  for (const [key, u] of days) {
    const events = u.sms + u.ivr + u.wap + u.vas;
    if (events > 0) activeDays++;
    if (key >= last7From) last7 += events;
    else if (key >= prior7From) prior7 += events;
    totals.sms += u.sms;
    totals.ivr += u.ivr;
    totals.wap += u.wap;
    totals.vas += u.vas;
  }

  // Per service in the window, as the facts' usage list: every service with a row in the window.
  type Use = {
    events: number;
    days: Set<string>;
    pushed: number;
    smsMo: number;
    wap: number;
    ivr: number;
    crbt: number;
  };
  const services = new Map<string, Use>();
  for (const r of serviceDays) {
    const id = String(r.service_id);
    const use = services.get(id) ?? { events: 0, days: new Set(), pushed: 0, smsMo: 0, wap: 0, ivr: 0, crbt: 0 };
    services.set(id, use);
    use.events += n(r.usage_events);
    use.pushed += n(r.sms_mt);
    use.wap += n(r.wap_visits);
    use.ivr += n(r.ivr_calls);
  }
  const perDayUse = new Map<string, number>();
  for (const r of serviceDays) {
    const key = `${r.service_id}|${r.d}`;
    perDayUse.set(key, (perDayUse.get(key) ?? 0) + n(r.usage_events));
  }
  for (const [key, events] of perDayUse) if (events > 0) services.get(key.split('|')[0]!)!.days.add(key);
  for (const r of sms) {
    const use = services.get(String(r.service_id));
    if (r.service_id !== '' && r.kind === 'sp_mo' && use) use.smsMo++;
  }
  const crbtService = n(crbt[0]?.services) > 0 ? String(crbt[0]!.service) : undefined;
  if (crbtService && services.has(crbtService)) services.get(crbtService)!.crbt = n(crbt[0]!.actions);
  const usage = [...services.entries()]
    .map(([serviceId, u]) => ({
      serviceId,
      events: u.events,
      daysUsed: u.days.size,
      pushed: u.pushed,
      smsMo: u.smsMo,
      wapVisits: u.wap,
      ivrCalls: u.ivr,
      crbtActions: u.crbt,
    }))
    .sort((a, b) => b.events - a.events || (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0));

  // Complaints: calls to 10086's complaint menus; peers: a number that is none of our subscribers is off-net.
  const complaints = ivr.filter((r) => r.access_code === '10086' && String(r.menu).startsWith('complaint')).length;
  const p2p = sms.filter((r) => r.kind === 'p2p_mo' || r.kind === 'p2p_mt');
  const peers = [...new Set(p2p.map((r) => String(r.peer)))];
  const ours = new Set(
    peers.length === 0
      ? []
      : (
          await cluster.all<{ msisdn: string }>(
            `SELECT DISTINCT msisdn FROM subscribers WHERE msisdn IN (${peers.map(clickhouseLiteral).join(', ')})`,
          )
        ).map((r) => r.msisdn),
  );

  const latestBand = bills[0]?.band;
  const months: BillMonth[] = [...bills].reverse().map((b) => ({
    month: String(b.m),
    totalYuan: n(b.total),
    voiceYuan: n(b.voice),
    smsYuan: n(b.sms),
    dataYuan: n(b.data),
    vasYuan: n(b.vas),
  }));
  const spellList = spells.map((s) => ({
    serviceId: String(s.service_id),
    startedOn: String(s.started),
    endedOn: (s.ended_on as string | null) ?? null,
    channel: String(s.channel),
    cancelChannel: (s.cancel_channel as string | null) ?? null,
    trial: n(s.trial) === 1,
    trialEndsOn: (s.trial_ends_on as string | null) ?? null,
    trialUses: s.trial_uses === null || s.trial_uses === undefined ? null : n(s.trial_uses),
    fromOpening: n(s.from_opening) === 1,
  }));
  return {
    as_of: asOf,
    brand: String(subscriber.brand),
    region: String(subscriber.region),
    county: String(subscriber.county),
    plan_id: String(subscriber.plan_id),
    plan_name: plan[0]?.name ?? null,
    plan_fee: plan[0] ? n(plan[0].fee) : null,
    activated_on: String(subscriber.activated_text),
    gender: String(subscriber.gender),
    status: String(subscriber.status),
    tenure_months: Math.max(0, n(subscriber.months)),
    tenure_band: String(subscriber.tenure_band),
    age_band: String(subscriber.age_band),
    arpu_band: latestBand === undefined || latestBand === null ? null : String(latestBand),
    bills: JSON.stringify(months),
    services: JSON.stringify(spellList),
    usage: JSON.stringify(usage),
    active_days_30d: activeDays,
    sms_out_30d: totals.sms,
    ivr_calls_30d: totals.ivr,
    wap_visits_30d: totals.wap,
    vas_events_30d: totals.vas,
    events_last_7d: last7,
    events_prior_7d: prior7,
    complaint_calls_30d: complaints,
    p2p_sms_30d: p2p.length,
    offnet_sms_30d: p2p.filter((r) => !ours.has(String(r.peer))).length,
    cancels_30d: spellList.filter((s) => s.endedOn !== null && s.endedOn >= fromDay && s.endedOn <= asOf).length,
  };
}

/** The customer's churn scores and offers of every stored model, from the shard that holds the customer. */
export async function readCustomerScoresOnClickHouse(
  cluster: ClickHouseWarehouse,
  msisdn: string,
): Promise<Pick<CustomerRows, 'churnScores' | 'offers'>> {
  const shard = cluster.shards[shardOf(msisdn, cluster.shards.length)]!;
  const who = clickhouseLiteral(msisdn);
  const [churn, offers] = await Promise.all([
    cluster.allOn<{ model_version: string; score: number }>(
      shard,
      `SELECT model_version, score FROM mining_churn_scores_local WHERE msisdn = ${who}`,
    ),
    cluster.allOn<Row>(
      shard,
      `SELECT model_version, service_id, offer_rank, score, propensity, rule_confidence FROM mining_offers_local WHERE msisdn = ${who}`,
    ),
  ]);
  return {
    churnScores: churn.map((r) => ({ modelVersion: r.model_version, score: Number(r.score) })),
    offers: offers.map((r) => ({
      modelVersion: String(r.model_version),
      serviceId: String(r.service_id),
      offerRank: Number(r.offer_rank),
      score: Number(r.score),
      propensity: Number(r.propensity),
      ruleConfidence: Number(r.rule_confidence),
    })),
  };
}

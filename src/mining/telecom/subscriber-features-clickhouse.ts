// subscriberFeatureSql's rows on a ClickHouse warehouse: the same features, column for column and value
// for value, computed on each shard from its own rows (18.16: no CTEs, one JOIN per SELECT), so only one
// row per subscriber crosses the network. The window (first and last day of use, DuckDB's bounds over
// agg_subscriber_day) is asked first over every shard; each part (profile, usage, complaints, peers,
// services held, last bill) is one keyed query per shard, and the parts are put together here. The
// roundings are DuckDB's (half away from zero: ClickHouse rounds floats half to even), taken here.
import { AppError } from '../../shared/errors.ts';
import { type ClickHouseWarehouse, clickhouseLiteral } from '../../warehouse/clickhouse/index.ts';
import type { Row } from '../../warehouse/index.ts';

/** The observed window: DuckDB's min and max day of agg_subscriber_day (every day with any use or order). */
export interface FeatureWindow {
  startDay: string;
  endDay: string;
}

/** The days agg_subscriber_day holds on DuckDB: signalling, SMS, IVR, WAP and per-service days. */
export async function readFeatureWindowOnClickHouse(cluster: ClickHouseWarehouse): Promise<FeatureWindow> {
  const dayOf = (table: string) =>
    `SELECT toString(count()) AS n, toString(min(toDate(ts))) AS lo, toString(max(toDate(ts))) AS hi FROM ${table}`;
  const parts = await cluster.all<{ n: string; lo: string; hi: string }>(
    `${['signalling', 'sms', 'ivr', 'wap'].map(dayOf).join(' UNION ALL ')}
     UNION ALL SELECT toString(count()) AS n, toString(min(day)) AS lo, toString(max(day)) AS hi FROM agg_subscriber_service_day`,
  );
  const loaded = parts.filter((p) => Number(p.n) > 0);
  if (loaded.length === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'the ClickHouse warehouse holds no days of use to learn from', {
      hint: 'load the feeds first: telmark --warehouse … load DIR',
    });
  return {
    startDay: loaded.map((p) => p.lo).sort()[0]!,
    endDay: loaded
      .map((p) => p.hi)
      .sort()
      .at(-1)!,
  };
}

/** Subscribers active at the window's start, with the day their activity ends (closure, else the day after). */
function baseSql(window: FeatureWindow): string {
  const s = `toDate(${clickhouseLiteral(window.startDay)})`;
  const e = `toDate(${clickhouseLiteral(window.endDay)})`;
  return `SELECT msisdn, brand, gender, county, plan_id,
      toInt64(toYear(${s})) - toInt64(birth_year) AS age,
      toInt64(toRelativeDayNum(${s})) - toInt64(toRelativeDayNum(activated_on)) AS tenure_days,
      if(status = 'closed' AND status_changed_on >= ${s} AND status_changed_on < ${s} + 30, 1, 0) AS churned,
      if(status = 'closed' AND status_changed_on >= ${s}, status_changed_on, ${e} + 1) AS until_day
    FROM subscribers_local
    WHERE activated_on < ${s} AND NOT (status IN ('closed', 'suspended') AND status_changed_on < ${s})`;
}

function partsSql(window: FeatureWindow): Record<string, string> {
  const s = `toDate(${clickhouseLiteral(window.startDay)})`;
  const base = baseSql(window);
  const until = `(SELECT msisdn, until_day FROM (${base}))`;
  return {
    // A plan the catalogue lacks leaves plan_fee NULL, as DuckDB's LEFT JOIN (here: plan_known 0).
    base: `SELECT msisdn, brand, gender, county, age, tenure_days, plan_fee, plan_known, churned, until_day
      FROM (${base}) ANY LEFT JOIN (SELECT plan_id, toFloat64(monthly_fee) AS plan_fee, toUInt8(1) AS plan_known FROM plans)
      USING plan_id`,
    // Sums named apart from their columns: an alias is visible in the whole SELECT on ClickHouse.
    // Constants materialized: 18.16 takes a UNION's constness from one branch and refuses the others.
    usage: `SELECT msisdn, toString(sum(sms_out)) AS sms_out_n, toString(sum(wap_visits)) AS wap_visits_n,
        toString(sum(vas_events)) AS vas_events_n,
        toString(sumIf(sms_out + wap_visits + vas_events, day >= until_day - 7)) AS recent_events,
        toString(sumIf(sms_out + wap_visits + vas_events, day < ${s} + 7)) AS early_events
      FROM (
        SELECT toDate(ts) AS day, msisdn, toInt64(kind IN ('p2p_mo', 'sp_mo')) AS sms_out, materialize(toInt64(0)) AS wap_visits,
               materialize(toInt64(0)) AS vas_events FROM sms_local
        UNION ALL SELECT toDate(ts) AS day, msisdn, materialize(toInt64(0)) AS sms_out, materialize(toInt64(1)) AS wap_visits,
               materialize(toInt64(0)) AS vas_events FROM wap_local
        UNION ALL SELECT day, msisdn, materialize(toInt64(0)) AS sms_out, materialize(toInt64(0)) AS wap_visits,
               toInt64(usage_events) AS vas_events FROM agg_subscriber_service_day_local
      ) ANY INNER JOIN ${until} USING msisdn
      WHERE day < until_day
      GROUP BY msisdn`,
    complaints: `SELECT msisdn, toString(count()) AS complaint_calls
      FROM (SELECT msisdn, ts FROM ivr_local WHERE access_code = '10086') ANY INNER JOIN ${until} USING msisdn
      WHERE toDate(ts) < until_day GROUP BY msisdn`,
    // A peer on another shard is still a subscriber: the numbers (not the messages) cross the network.
    peers: `SELECT msisdn, toString(count()) AS p2p_sms, toString(countIf(peer NOT IN (SELECT msisdn FROM subscribers))) AS offnet_sms
      FROM (SELECT msisdn, peer, ts FROM sms_local WHERE kind IN ('p2p_mo', 'p2p_mt')) ANY INNER JOIN ${until} USING msisdn
      WHERE toDate(ts) < until_day GROUP BY msisdn`,
    held: `SELECT msisdn, toString(count()) AS services_held FROM subscriptions_local
      WHERE started_on <= ${s} AND ifNull(ended_on, toDate('2105-12-31')) > ${s} GROUP BY msisdn`,
    bills: `SELECT msisdn, argMax(toFloat64(total_fee), month) AS monthly_bill FROM billing_local
      WHERE month < toStartOfMonth(${s}) GROUP BY msisdn`,
  };
}

type Part = Map<string, Row>;

/** DuckDB's round(x, digits) on a DOUBLE: std::round (half away from zero) of x scaled, scaled back. */
export function roundLikeDuckDb(x: number, digits: number): number {
  const scale = 10 ** digits;
  const scaled = x * scale;
  const rounded = (Math.sign(scaled) * Math.round(Math.abs(scaled))) / scale;
  return Number.isFinite(rounded) ? rounded : x;
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The feature rows of every subscriber active at the window's start, ordered by number, as on DuckDB. */
export async function readSubscriberFeaturesOnClickHouse(cluster: ClickHouseWarehouse): Promise<Row[]> {
  const window = await readFeatureWindowOnClickHouse(cluster);
  const sql = partsSql(window);
  const names = Object.keys(sql);
  const perShard = await Promise.all(
    cluster.shards.map((shard) => Promise.all(names.map((name) => cluster.allOn(shard, sql[name]!)))),
  );
  const parts: Record<string, Part> = Object.fromEntries(names.map((name) => [name, new Map()]));
  for (const answers of perShard)
    answers.forEach((rows, i) => {
      for (const row of rows) parts[names[i]!]!.set(String(row.msisdn), row);
    });
  const count = (part: string, msisdn: string, column: string) => Number(parts[part]!.get(msisdn)?.[column] ?? 0);
  const start = dayNumber(window.startDay);
  const rows: Row[] = [];
  for (const [msisdn, b] of parts.base!) {
    const activeDays = Math.max(1, dayNumber(String(b.until_day)) - start);
    const perDay = (value: number) => roundLikeDuckDb(value / activeDays, 4);
    const p2p = count('peers', msisdn, 'p2p_sms');
    const bill = parts.bills!.get(msisdn)?.monthly_bill;
    rows.push({
      msisdn,
      brand: b.brand,
      gender: b.gender,
      county: b.county,
      age: Number(b.age),
      tenure_days: Number(b.tenure_days),
      plan_fee: Number(b.plan_known) === 1 ? Number(b.plan_fee) : null,
      sms_per_day: perDay(count('usage', msisdn, 'sms_out_n')),
      wap_per_day: perDay(count('usage', msisdn, 'wap_visits_n')),
      vas_per_day: perDay(count('usage', msisdn, 'vas_events_n')),
      usage_trend: roundLikeDuckDb(
        (count('usage', msisdn, 'recent_events') + 1) / (count('usage', msisdn, 'early_events') + 1),
        4,
      ),
      complaint_calls_per_day: perDay(count('complaints', msisdn, 'complaint_calls')),
      offnet_sms_share: p2p === 0 ? null : roundLikeDuckDb(count('peers', msisdn, 'offnet_sms') / p2p, 4),
      services_held: count('held', msisdn, 'services_held'),
      monthly_bill: bill === undefined || bill === null ? null : roundLikeDuckDb(Number(bill), 2),
      churned: Number(b.churned),
    });
  }
  return rows.sort((a, b) => (String(a.msisdn) < String(b.msisdn) ? -1 : 1));
}

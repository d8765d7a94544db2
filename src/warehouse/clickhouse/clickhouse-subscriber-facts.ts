// subscriber_facts on ClickHouse: one row per subscriber as of the data's last day, built on each shard
// from its own rows only (the same columns and rules as DuckDB's refresh-subscriber-facts.ts, the 7- and
// 30-day usage totals included), for audiences compiled to ClickHouse SQL. Beside it each shard keeps
// subscriber_usage_day_local, its subscribers' activity per day as DuckDB's agg_subscriber_day counts
// it: the totals are summed from it, and audience conditions on other windows or days read it. Rebuilt
// when the cluster's data version moved since the last build, not by the loader: an audience asked
// after a load finds it stale and rebuilds it once. Each shard builds new tables and swaps them in by
// RENAME, so a reader never sees half a build; the version is recorded last (the commit point).
import { AppError } from '../../shared/errors.ts';
import { dataVersion } from '../data-version.ts';
import { factsUsageMeasures, factsUsageWindows } from '../tables/audience-tables.ts';
import type { ShardAddress } from './clickhouse-http.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';
import { clusterName } from './cluster-name.ts';
import { holdingSpellsSql } from './holding-spells-sql.ts';

/** The usage totals, `sms_out_7d`, `sms_out_30d`, …, as on DuckDB. */
const usageTotals = factsUsageMeasures.flatMap((m) => factsUsageWindows.map((d) => ({ m, d, name: `${m}_${d}d` })));

const columns = `msisdn String, brand String, region String, county String, plan_id String, gender String,
  status String, status_changed_on Date, activated_on Date, birth_year Int32, as_of Date, age Int32,
  tenure_months Int32, active UInt8, arpu Nullable(Decimal(12, 2)), arpu_month Nullable(Date),
  area_type Nullable(String), services_held Int32, held_services Array(String),
  ${usageTotals.map((u) => `${u.name} Int64`).join(', ')}`;

const createLocal = (name: string) =>
  `CREATE TABLE IF NOT EXISTS ${name} (${columns}) ENGINE = MergeTree ORDER BY msisdn`;

const createUsageLocal = (name: string) =>
  `CREATE TABLE IF NOT EXISTS ${name} (day Date, msisdn String, ${factsUsageMeasures.map((m) => `${m} Int64`).join(', ')})
   ENGINE = MergeTree ORDER BY (msisdn, day)`;

/**
 * Prefixed to the recorded data version: a build of an earlier layout (without the usage totals)
 * counts as stale, so a cluster built by an earlier Telmark is rebuilt once.
 */
const layout = 'usage-1';

/** The statements that make the tables (idempotent); run on every shard. */
export function subscriberFactsSchema(database: string): string[] {
  return [
    createLocal('subscriber_facts_local'),
    `CREATE TABLE IF NOT EXISTS subscriber_facts AS subscriber_facts_local ENGINE = Distributed(${clusterName}, ${database}, subscriber_facts_local, cityHash64(msisdn))`,
    createUsageLocal('subscriber_usage_day_local'),
    `CREATE TABLE IF NOT EXISTS subscriber_usage_day AS subscriber_usage_day_local ENGINE = Distributed(${clusterName}, ${database}, subscriber_usage_day_local, cityHash64(msisdn))`,
    // Which data version the shard's table was built from: one row per build.
    'CREATE TABLE IF NOT EXISTS subscriber_facts_of (version String, built_at DateTime) ENGINE = MergeTree ORDER BY built_at',
  ];
}

/** The data's last day, as DuckDB's refresh takes it: the aggregates' last day, else the last subscriber change. */
async function factsDay(cluster: ClickHouseWarehouse): Promise<string> {
  const row = await cluster.one<{ days: string; day: string; changed: string; subscribers: string }>(
    `SELECT toString(count()) AS days, toString(max(day)) AS day FROM agg_area_day`,
  );
  if (row && Number(row.days) > 0) return row.day;
  const changed = await cluster.one<{ subscribers: string; changed: string }>(
    'SELECT toString(count()) AS subscribers, toString(max(greatest(activated_on, status_changed_on))) AS changed FROM subscribers',
  );
  if (!changed || Number(changed.subscribers) === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'the ClickHouse warehouse holds no subscribers', {
      hint: 'load the feeds first: telmark --warehouse … load DIR',
    });
  return changed.changed;
}

/**
 * One shard's activity per subscriber and day, as DuckDB's agg_subscriber_day: calls and their seconds
 * from signalling, SMS sent, IVR calls, WAP visits, and the uses of value-added services. The parts
 * are named apart from the sums (an alias is visible in the whole SELECT on ClickHouse).
 */
function usageDaySql(table: string): string {
  const zero = 'toInt64(0)';
  const part = (from: string, values: Partial<Record<string, string>>) =>
    `SELECT toDate(ts) AS day, msisdn, ${factsUsageMeasures.map((m) => `${values[m] ?? zero} AS p_${m}`).join(', ')}
     FROM ${from} GROUP BY day, msisdn`;
  const parts = [
    part('signalling_local', {
      calls_out: "toInt64(countIf(event = 'call_out'))",
      calls_in: "toInt64(countIf(event = 'call_in'))",
      call_seconds: "toInt64(sumIf(duration_s, event IN ('call_out', 'call_in')))",
    }),
    part('sms_local', { sms_out: "toInt64(countIf(kind IN ('p2p_mo', 'sp_mo')))" }),
    part('ivr_local', { ivr_calls: 'toInt64(count())' }),
    part('wap_local', { wap_visits: 'toInt64(count())' }),
    `SELECT day, msisdn, ${factsUsageMeasures.map((m) => (m === 'vas_events' ? 'toInt64(sum(usage_events))' : zero)).join(', ')}
     FROM agg_subscriber_service_day_local GROUP BY day, msisdn`,
  ];
  return `INSERT INTO ${table} (day, msisdn, ${factsUsageMeasures.join(', ')})
    SELECT day, msisdn, ${factsUsageMeasures.map((m) => `sum(p_${m})`).join(', ')}
    FROM (${parts.join(' UNION ALL ')}) GROUP BY day, msisdn`;
}

/**
 * One shard's rows, from its local tables: four LEFT JOINs nested, one per SELECT (18.16). The
 * session sets join_use_nulls, so a subscriber without a bill or a seen cell gets NULL as on DuckDB.
 */
function buildSql(table: string, day: string): string {
  const d = `toDate(${clickhouseLiteral(day)})`;
  const people = 'msisdn, brand, region, county, plan_id, gender, status, status_changed_on, activated_on, birth_year';
  const bills = `SELECT msisdn, argMax(total_fee, month) AS bill_fee, max(month) AS bill_month
    FROM billing_local WHERE month <= ${d} GROUP BY msisdn`;
  // The cell seen most (ties: the first cell id), as DuckDB's row_number over count desc, cell_id.
  const seen = `SELECT msisdn, cell_known, area_of_cell FROM (
      SELECT msisdn, tupleElement(arraySort(groupArray((-events, cell_id)))[1], 2) AS top_cell
      FROM (SELECT msisdn, cell_id, toInt64(count()) AS events FROM signalling_local GROUP BY msisdn, cell_id)
      GROUP BY msisdn
    ) ANY LEFT JOIN (SELECT cell_id AS top_cell, toUInt8(1) AS cell_known, area_type AS area_of_cell FROM cells) USING top_cell`;
  // As text: the session's join_use_nulls makes a missing right row NULL, and an array cannot be.
  const held = `SELECT msisdn, arrayStringConcat(arraySort(groupUniqArray(service_id)), ',') AS held_text
    FROM (${holdingSpellsSql}) WHERE started_on <= ${d} AND (has_end = 0 OR ended_on > ${d}) GROUP BY msisdn`;
  // The totals over the 7 and 30 days up to the day, from the shard's activity per day (rebuilt just before).
  const widest = Math.max(...factsUsageWindows);
  const totals = usageTotals.map((u) => `toInt64(sumIf(${u.m}, day > subtractDays(${d}, ${u.d}))) AS u_${u.name}`);
  const used = `SELECT msisdn, ${totals.join(', ')} FROM subscriber_usage_day_local
    WHERE day > subtractDays(${d}, ${widest}) AND day <= ${d} GROUP BY msisdn`;
  const known = `SELECT ${people}, bill_fee, bill_month, cell_known, area_of_cell, held_text FROM (
      SELECT ${people}, bill_fee, bill_month, cell_known, area_of_cell FROM (
        SELECT ${people}, bill_fee, bill_month FROM (SELECT ${people} FROM subscribers_local)
        ANY LEFT JOIN (${bills}) USING msisdn
      ) ANY LEFT JOIN (${seen}) USING msisdn
    ) ANY LEFT JOIN (${held}) USING msisdn`;
  // A service id holds no comma (feed contract: an id); no row: no service held.
  const heldText = "ifNull(held_text, '')";
  return `INSERT INTO ${table} (msisdn, brand, region, county, plan_id, gender, status, status_changed_on, activated_on,
      birth_year, as_of, age, tenure_months, active, arpu, arpu_month, area_type, services_held, held_services,
      ${usageTotals.map((u) => u.name).join(', ')})
    SELECT ${people}, ${d} AS fact_day, toInt32(toYear(fact_day) - birth_year),
      toInt32((toYear(fact_day) * 12 + toMonth(fact_day)) - (toYear(activated_on) * 12 + toMonth(activated_on))),
      toUInt8(activated_on <= fact_day AND NOT (status IN ('closed', 'suspended') AND status_changed_on <= fact_day)),
      bill_fee, bill_month, if(ifNull(cell_known, 0) = 1, area_of_cell, NULL),
      toInt32(length(splitByChar(',', ${heldText}))) - toInt32(${heldText} = ''),
      if(${heldText} = '', emptyArrayString(), splitByChar(',', ${heldText})),
      ${usageTotals.map((u) => `ifNull(u_${u.name}, toInt64(0))`).join(', ')}
    FROM (${known}) ANY LEFT JOIN (${used}) USING msisdn`;
}

/** Builds `<name>_local` anew on one shard and swaps it in: a reader sees the old or the new table, whole. */
async function rebuildOn(
  cluster: ClickHouseWarehouse,
  shard: ShardAddress,
  name: string,
  build: { create: (table: string) => string; fill: (table: string) => string },
): Promise<void> {
  const [next, old, local] = [`${name}_build`, `${name}_old`, `${name}_local`];
  await cluster.runOn(shard, `DROP TABLE IF EXISTS ${next}`);
  await cluster.runOn(shard, build.create(next));
  await cluster.runOn(shard, build.fill(next));
  await cluster.runOn(shard, `DROP TABLE IF EXISTS ${old}`);
  await cluster.runOn(shard, `RENAME TABLE ${local} TO ${old}, ${next} TO ${local}`);
  await cluster.runOn(shard, `DROP TABLE IF EXISTS ${old}`);
}

/**
 * The Distributed table made by an earlier layout lacks the usage totals: it is made again over the
 * local table (it holds no rows of its own).
 */
async function upgradeDistributed(cluster: ClickHouseWarehouse, shard: ShardAddress): Promise<void> {
  const found = await cluster.allOn<{ n: number }>(
    shard,
    `SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND table = 'subscriber_facts' AND name = ?`,
    [usageTotals[0]!.name],
  );
  if (Number(found[0]?.n ?? 0) > 0) return;
  await cluster.runOn(shard, 'DROP TABLE IF EXISTS subscriber_facts');
  for (const statement of subscriberFactsSchema(cluster.database)) await cluster.runOn(shard, statement);
}

/** Builds every shard's subscriber_facts anew; returns how many subscribers the cluster's facts hold. */
export async function refreshClickHouseSubscriberFacts(cluster: ClickHouseWarehouse): Promise<number> {
  const version = await dataVersion(cluster);
  const day = await factsDay(cluster);
  for (const shard of cluster.shards) {
    for (const statement of subscriberFactsSchema(cluster.database)) await cluster.runOn(shard, statement);
    // The activity per day first: the facts' totals are summed from it.
    await rebuildOn(cluster, shard, 'subscriber_usage_day', { create: createUsageLocal, fill: usageDaySql });
    await rebuildOn(cluster, shard, 'subscriber_facts', { create: createLocal, fill: (t) => buildSql(t, day) });
    await upgradeDistributed(cluster, shard);
  }
  for (const shard of cluster.shards)
    await cluster.runOn(shard, 'INSERT INTO subscriber_facts_of (version, built_at) VALUES (?, now())', [
      `${layout}|${version}`,
    ]);
  return cluster.scalar('SELECT count() FROM subscriber_facts');
}

/** Rebuilds subscriber_facts when the cluster loaded something since the last build, and only then. */
export async function refreshClickHouseSubscriberFactsIfStale(cluster: ClickHouseWarehouse): Promise<boolean> {
  const version = `${layout}|${await dataVersion(cluster)}`;
  let built = 0;
  for (const shard of cluster.shards) {
    const rows = await cluster
      .allOn<{ n: string }>(shard, 'SELECT toString(count()) AS n FROM subscriber_facts_of WHERE version = ?', [
        version,
      ])
      .catch(() => [{ n: '0' }]); // no table yet: never built
    if (Number(rows[0]?.n ?? 0) > 0) built++;
  }
  if (built === cluster.shards.length) return false;
  await refreshClickHouseSubscriberFacts(cluster);
  return true;
}

// subscriber_facts on ClickHouse: one row per subscriber as of the data's last day, built on each shard
// from its own rows only (the same columns and rules as DuckDB's refresh-subscriber-facts.ts, without
// the usage windows), for audiences compiled to ClickHouse SQL. Rebuilt when the cluster's data
// version moved since the last build, not by the loader: an audience asked after a load finds it stale
// and rebuilds it once. Each shard builds a new table and swaps it in by RENAME, so a reader never sees
// half a build; the version is recorded last (the commit point).
import { AppError } from '../../shared/errors.ts';
import { dataVersion } from '../data-version.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';
import { clusterName } from './cluster-name.ts';
import { holdingSpellsSql } from './holding-spells-sql.ts';

const columns = `msisdn String, brand String, region String, county String, plan_id String, gender String,
  status String, status_changed_on Date, activated_on Date, birth_year Int32, as_of Date, age Int32,
  tenure_months Int32, active UInt8, arpu Nullable(Decimal(12, 2)), arpu_month Nullable(Date),
  area_type Nullable(String), services_held Int32, held_services Array(String)`;

const createLocal = (name: string) =>
  `CREATE TABLE IF NOT EXISTS ${name} (${columns}) ENGINE = MergeTree ORDER BY msisdn`;

/** The statements that make the tables (idempotent); run on every shard. */
export function subscriberFactsSchema(database: string): string[] {
  return [
    createLocal('subscriber_facts_local'),
    `CREATE TABLE IF NOT EXISTS subscriber_facts AS subscriber_facts_local ENGINE = Distributed(${clusterName}, ${database}, subscriber_facts_local, cityHash64(msisdn))`,
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
 * One shard's rows, from its local tables: three LEFT JOINs nested, one per SELECT (18.16). The
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
  return `INSERT INTO ${table} (msisdn, brand, region, county, plan_id, gender, status, status_changed_on, activated_on,
      birth_year, as_of, age, tenure_months, active, arpu, arpu_month, area_type, services_held, held_services)
    SELECT ${people}, ${d} AS fact_day, toInt32(toYear(fact_day) - birth_year),
      toInt32((toYear(fact_day) * 12 + toMonth(fact_day)) - (toYear(activated_on) * 12 + toMonth(activated_on))),
      toUInt8(activated_on <= fact_day AND NOT (status IN ('closed', 'suspended') AND status_changed_on <= fact_day)),
      bill_fee, bill_month, if(ifNull(cell_known, 0) = 1, area_of_cell, NULL), toInt32(length(held)), held
    FROM (
      SELECT ${people}, bill_fee, bill_month, cell_known, area_of_cell FROM (
        SELECT ${people}, bill_fee, bill_month FROM (SELECT ${people} FROM subscribers_local)
        ANY LEFT JOIN (${bills}) USING msisdn
      ) ANY LEFT JOIN (${seen}) USING msisdn
    ) ANY LEFT JOIN (${held}) USING msisdn`.replace(
    'toInt32(length(held)), held',
    // A service id holds no comma (feed contract: an id); no row: no service held.
    "toInt32(length(splitByChar(',', ifNull(held_text, '')))) - toInt32(ifNull(held_text, '') = ''), if(ifNull(held_text, '') = '', emptyArrayString(), splitByChar(',', ifNull(held_text, '')))",
  );
}

/** Builds every shard's subscriber_facts anew; returns how many subscribers the cluster's facts hold. */
export async function refreshClickHouseSubscriberFacts(cluster: ClickHouseWarehouse): Promise<number> {
  const version = await dataVersion(cluster);
  const day = await factsDay(cluster);
  for (const shard of cluster.shards) {
    for (const statement of subscriberFactsSchema(cluster.database)) await cluster.runOn(shard, statement);
    await cluster.runOn(shard, 'DROP TABLE IF EXISTS subscriber_facts_build');
    await cluster.runOn(shard, createLocal('subscriber_facts_build'));
    await cluster.runOn(shard, buildSql('subscriber_facts_build', day));
    await cluster.runOn(shard, 'DROP TABLE IF EXISTS subscriber_facts_old');
    await cluster.runOn(
      shard,
      'RENAME TABLE subscriber_facts_local TO subscriber_facts_old, subscriber_facts_build TO subscriber_facts_local',
    );
    await cluster.runOn(shard, 'DROP TABLE IF EXISTS subscriber_facts_old');
  }
  for (const shard of cluster.shards)
    await cluster.runOn(shard, 'INSERT INTO subscriber_facts_of (version, built_at) VALUES (?, now())', [version]);
  return cluster.scalar('SELECT count() FROM subscriber_facts');
}

/** Rebuilds subscriber_facts when the cluster loaded something since the last build, and only then. */
export async function refreshClickHouseSubscriberFactsIfStale(cluster: ClickHouseWarehouse): Promise<boolean> {
  const version = await dataVersion(cluster);
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

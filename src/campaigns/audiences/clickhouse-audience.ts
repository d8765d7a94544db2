// Audiences read from a ClickHouse warehouse: the compiled WHERE over the cluster's subscriber_facts
// (refreshed first when the cluster loaded something since its last build). The counts are summed
// over the shards by the Distributed table; a list comes back ordered by msisdn, as on DuckDB.
import type { SqlParam } from '../../warehouse/index.ts';
import { type ClickHouseWarehouse, refreshClickHouseSubscriberFactsIfStale } from '../../warehouse/clickhouse/index.ts';
import { compileAudienceClickHouse } from './compile-audience-clickhouse.ts';
import { parseAudienceDefinition } from './parse-audience-definition.ts';

async function prepare(
  cluster: ClickHouseWarehouse,
  definition: unknown,
  asOf: string | undefined,
): Promise<{ where: string; params: SqlParam[]; asOf: string | null }> {
  const tree = parseAudienceDefinition(definition);
  // A bad definition or day, or a condition not carried, fails before any query.
  compileAudienceClickHouse(tree, { day: asOf ?? '2000-01-01', facts: asOf === undefined, database: cluster.database });
  await refreshClickHouseSubscriberFactsIfStale(cluster);
  const row = await cluster.one<{ n: number; day: string }>(
    'SELECT count() AS n, toString(max(as_of)) AS day FROM subscriber_facts',
  );
  const factsDay = row && Number(row.n) > 0 ? row.day : null;
  // Without facts there is no one to select, whatever the day.
  const day = asOf ?? factsDay ?? '2000-01-01';
  const compiled = compileAudienceClickHouse(tree, {
    day,
    facts: factsDay === null || day === factsDay,
    database: cluster.database,
  });
  return { ...compiled, asOf: asOf ?? factsDay };
}

/** Audience members per county and brand, and the day they were taken on. */
export async function countAudienceOnClickHouse(
  cluster: ClickHouseWarehouse,
  definition: unknown,
  asOf?: string,
): Promise<{ rows: { county: string; brand: string; subscribers: number }[]; asOf: string | null }> {
  const { where, params, asOf: day } = await prepare(cluster, definition, asOf);
  const rows = await cluster.all<{ county: string; brand: string; subscribers: number }>(
    `SELECT county, brand, count() AS subscribers FROM subscriber_facts WHERE ${where} GROUP BY county, brand`,
    params,
  );
  return { rows: rows.map((r) => ({ ...r, subscribers: Number(r.subscribers) })), asOf: day };
}

/** The audience's members with county and brand, ordered by msisdn. */
export async function listAudienceOnClickHouse(
  cluster: ClickHouseWarehouse,
  definition: unknown,
  asOf?: string,
): Promise<{ msisdn: string; county: string; brand: string }[]> {
  const { where, params } = await prepare(cluster, definition, asOf);
  return cluster.all<{ msisdn: string; county: string; brand: string }>(
    `SELECT msisdn, county, brand FROM subscriber_facts WHERE ${where} ORDER BY msisdn`,
    params,
  );
}

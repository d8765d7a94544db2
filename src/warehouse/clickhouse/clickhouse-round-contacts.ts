// A campaign round's contacts pushed beside the facts: the state (who was contacted or held out, and
// from when) lives in the DuckDB file, the orders on the cluster. Each contact goes to the shard that
// holds the subscriber (the loader's CityHash64 placement), so the join with the orders runs on each
// shard over its own rows and only per-subscriber answers come back. A round's rows form one
// partition (`campaign|round`): pushing again drops it first, so a re-run replaces, never doubles.
import { shardOf } from './city-hash.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';
import { clusterName } from './cluster-name.ts';
import { wholeSeconds } from './whole-seconds.ts';

export interface RoundContact {
  msisdn: string;
  grp: 'contacted' | 'control';
  /** When the contact counts from (control: the round's start), local time `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
  t0: string;
}

export function roundContactsSchema(database: string): string[] {
  return [
    // t0 in whole seconds (DateTime has no fraction on 18.16), and t0_from, the first whole second not
    // before t0: for whole-second order times `ts >= t0` is `ts >= t0_from`.
    `CREATE TABLE IF NOT EXISTS campaign_contacts_local (push_key String, msisdn String, grp String, t0 DateTime,
       t0_from DateTime) ENGINE = MergeTree PARTITION BY push_key ORDER BY msisdn`,
    `CREATE TABLE IF NOT EXISTS campaign_contacts AS campaign_contacts_local ENGINE = Distributed(${clusterName}, ${database}, campaign_contacts_local, cityHash64(msisdn))`,
  ];
}

/** The partition of one round's contacts. */
export function roundContactsKey(campaignId: string, round: number): string {
  return `${campaignId}|${round}`;
}

const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** Replaces the round's contacts on every shard with `contacts`. */
export async function pushRoundContacts(
  cluster: ClickHouseWarehouse,
  key: string,
  contacts: readonly RoundContact[],
): Promise<void> {
  const bodies = cluster.shards.map(() => [] as string[]);
  for (const c of contacts) {
    const { floor, from } = wholeSeconds(c.t0);
    bodies[shardOf(c.msisdn, cluster.shards.length)]!.push([key, c.msisdn, c.grp, floor, from].map(csvField).join(','));
  }
  for (const [index, shard] of cluster.shards.entries()) {
    for (const statement of roundContactsSchema(cluster.database)) await cluster.runOn(shard, statement);
    await cluster.runOn(shard, `ALTER TABLE campaign_contacts_local DROP PARTITION ${clickhouseLiteral(key)}`);
    const body = bodies[index]!;
    if (body.length > 0)
      await cluster.insertCsv(
        shard,
        'campaign_contacts_local',
        ['push_key', 'msisdn', 'grp', 't0', 't0_from'],
        `${body.join('\n')}\n`,
      );
  }
}

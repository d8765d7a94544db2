// The subscribers' brands for a stream worker from the ClickHouse cluster: only the worker's own
// subscribers (its partitions, computed on the shards), shard by shard in pages ordered by msisdn, so
// a province's 30 million rows never sit in one answer or in memory at once: a page is parsed, its
// brands go into the state's arrays, and it is dropped before the next is asked for.
import { brands } from '../../feeds/contract.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import { clickhouseWorkerFilter } from '../partitions/clickhouse-partition-sql.ts';
import { partitionOf, type WorkerSlot } from '../partitions/partition-of.ts';

export interface ClusterProfileOptions {
  /** The worker's share of the partitioned stream; undefined: every subscriber (one process reads all). */
  share?: { partitions: number; worker: WorkerSlot };
  /** Rows per page (default 100,000: a few MB of JSON). */
  pageRows?: number;
}

export async function loadClusterProfiles(
  cluster: ClickHouseWarehouse,
  engine: TriggerEngine,
  options: ClusterProfileOptions = {},
): Promise<{ subscribers: number; pages: number }> {
  const share = options.share;
  const pageRows = options.pageRows ?? 100_000;
  const filter = share ? clickhouseWorkerFilter('msisdn', share.partitions, share.worker) : '1';
  const owns = (msisdn: string) =>
    !share || partitionOf(msisdn, share.partitions) % share.worker.count === share.worker.index;
  const state = engine.state;
  let subscribers = 0;
  let pages = 0;
  // Each shard holds its own subscribers (sharded by cityHash64(msisdn)): read each one's local table.
  for (const shard of cluster.shards) {
    let after = '';
    for (;;) {
      const rows = await cluster.allOn<{ msisdn: string; brand: string }>(
        shard,
        `SELECT msisdn, brand FROM subscribers_local WHERE msisdn > ? AND ${filter} ORDER BY msisdn LIMIT ${pageRows}`,
        [after],
      );
      pages++;
      for (const row of rows) {
        if (!owns(row.msisdn)) continue; // a number of another length, which the SQL filter lets through
        const code = brands.indexOf(row.brand as (typeof brands)[number]);
        // indexOf first: it may grow the state and replace its arrays (state.brand[state.indexOf(…)]
        // would write into the old one, losing the brand of every subscriber that made it grow).
        const sub = state.indexOf(row.msisdn);
        if (code >= 0) state.brand[sub] = code;
        subscribers++;
      }
      if (rows.length < pageRows) break;
      after = rows[rows.length - 1]!.msisdn;
    }
  }
  return { subscribers, pages };
}

// `telmark load DIR --warehouse clickhouse://…`: every file is validated by the same loader as on DuckDB
// (feed contract, quarantine, keys, periods), into a temporary DuckDB; the accepted rows then go
// straight into the local table of the shard that owns each subscriber, one CSV batch per file and
// shard, and the per-shard aggregates are rebuilt. Idempotent and kill-safe without transactions: a
// file's rows carry a file id made from its name and content, in a partition of their own; each file
// first drops that partition (rows of an attempt killed half-way), then writes, then records the file
// in load_files (the commit point), then drops the rows of the content it replaced. A re-run thus
// replaces and never doubles, whatever moment an earlier run was killed at.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { insertRows } from '../insert-rows.ts';
import type { FileLoadResult, LoadProgress, LoadSummary } from '../load/index.ts';
import { listFeedFiles, loadDirectory } from '../load/index.ts';
import { sqlLiteral } from '../sql-text.ts';
import { Warehouse } from '../warehouse.ts';
import { shardOf } from './city-hash.ts';
import { rebuildClickHouseAggregates } from './clickhouse-aggregates.ts';
import { detailTables } from './clickhouse-schema.ts';
import { type FileToShip, shipFiles, tableOfFeed } from './clickhouse-ship-files.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';

export interface ClickHouseLoadOptions {
  encoding?: 'utf8' | 'gbk';
  reload?: boolean;
  clock: Clock;
  progress?: LoadProgress;
  periodToleranceDays?: number;
}

type StagedFile = FileToShip['staged'];

export async function loadDirectoryToClickHouse(
  cluster: ClickHouseWarehouse,
  dir: string,
  options: ClickHouseLoadOptions,
): Promise<LoadSummary> {
  const scratch = await mkdtemp(join(tmpdir(), 'telmark-ch-load-'));
  try {
    const loaded = new Map(
      (
        await cluster.allOn<{ file_name: string; sha256: string; file_id: number }>(
          cluster.coordinator,
          'SELECT file_name, sha256, file_id FROM load_files',
        )
      ).map((r) => [r.file_name, r]),
    );
    // Only new or changed files are validated again: a daily load does not re-check the month.
    const listed = await listFeedFiles(dir);
    const loadedContent = new Map([...loaded.values()].map((r) => [r.sha256, r.file_name]));
    const skipped: FileLoadResult[] = [];
    const fresh = join(scratch, 'files');
    await mkdir(fresh);
    for (const file of listed.files) {
      const sha256 = await fileSha256(file.path);
      const same = options.reload ? undefined : loadedContent.get(sha256);
      if (same !== undefined) {
        const note = `same content already loaded${same === file.fileName ? '' : ` as ${same}`}`;
        skipped.push({
          fileName: file.fileName,
          feed: file.feed,
          outcome: 'skipped',
          linesRead: 0,
          rowsRead: 0,
          rowsLoaded: 0,
          rowsQuarantined: 0,
          quarantinedByReason: {},
          notes: [note],
          ms: 0,
        });
      } else {
        await symlink(resolve(file.path), join(fresh, file.fileName));
      }
    }
    const staging = await Warehouse.open(join(scratch, 'staging.duckdb'));
    try {
      await seedSnapshots(cluster, staging, fresh, scratch);
      const summary = await loadDirectory(staging, fresh, { ...options, reload: false, derived: false });
      const started = options.clock.nowMs();
      // With one shard every row is its own: no map to build or join.
      if (cluster.shards.length > 1) await stageShardMap(staging, cluster.shards.length);
      const staged = await staging.all<StagedFile>(
        'SELECT * FROM load_files WHERE replaced_by IS NULL AND file_id > 0 ORDER BY file_id',
      );
      await shipFiles(
        cluster,
        staging,
        staged.map((file) => ({
          id: clickhouseFileId(file.file_name, file.sha256),
          replacedId: loaded.get(file.file_name)?.file_id,
          recorded: loaded.has(file.file_name),
          staged: file,
        })),
        { scratch, clock: options.clock },
      );
      const shipMs = options.clock.nowMs() - started;
      const derivedStarted = options.clock.nowMs();
      const days = await rebuildClickHouseAggregates(cluster);
      return {
        ...summary,
        // A new file under a name already loaded replaces that file's rows, as on DuckDB.
        files: [
          ...skipped,
          ...summary.files.map((f) =>
            f.outcome === 'loaded' && loaded.has(f.fileName) ? { ...f, outcome: 'replaced' as const } : f,
          ),
        ],
        rejected: [...listed.rejected, ...summary.rejected],
        ignored: listed.ignored,
        loadMs: summary.loadMs + shipMs,
        derivedDays: days.length,
        ...(days.length > 0 ? { derivedFrom: days[0], derivedTo: days.at(-1) } : {}),
        derivedMs: options.clock.nowMs() - derivedStarted,
      };
    } finally {
      staging.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The SHA-256 of a file's bytes, as the loader records it. */
async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file's id on ClickHouse: from its name and content, so a killed attempt is found again (52 bits: exact in JSON). */
export function clickhouseFileId(fileName: string, sha256: string): number {
  return Number.parseInt(createHash('sha256').update(`${fileName}\n${sha256}`).digest('hex').slice(0, 13), 16);
}

/** The snapshots references are checked against (cells, plans, services, subscribers). */
const referencedSnapshots = ['cells', 'plans', 'services', 'subscribers'] as const;

/**
 * A folder without a snapshot (the usual daily delivery) is checked against the one already on the
 * cluster: its rows are copied into the staging DuckDB under file id 0, which no file owns, so they
 * are read by the checks and never shipped back.
 */
async function seedSnapshots(
  cluster: ClickHouseWarehouse,
  staging: Warehouse,
  dir: string,
  scratch: string,
): Promise<void> {
  const present = new Set((await listFeedFiles(dir)).files.map((f) => f.feed));
  for (const feed of referencedSnapshots) {
    if (present.has(feed)) continue;
    const table = tableOfFeed(feed);
    const columns = table.columns.map(([name]) => name);
    const text = await cluster.csv(
      `SELECT ${columns.map((c) => (c === 'file_id' ? '0' : c)).join(', ')} FROM ${table.name}`,
    );
    if (text === '') continue;
    const path = join(scratch, `seed-${feed}.csv`);
    await writeFile(path, text);
    await staging.run(`COPY ${table.name} (${columns.join(', ')}) FROM ${sqlLiteral(path)} (FORMAT CSV, HEADER false)`);
  }
}

/** Which shard owns each subscriber the staged files mention, as a table to join. */
async function stageShardMap(staging: Warehouse, shards: number): Promise<void> {
  const union = detailTables
    .filter((t) => t.columns.some(([name]) => name === 'msisdn'))
    .map((t) => `SELECT msisdn FROM ${t.name}`)
    .join(' UNION ');
  const numbers = await staging.all<{ msisdn: string }>(`SELECT DISTINCT msisdn FROM (${union})`);
  await staging.run('CREATE OR REPLACE TABLE msisdn_shard (msisdn VARCHAR PRIMARY KEY, shard INTEGER NOT NULL)');
  await insertRows(
    staging,
    'msisdn_shard',
    ['msisdn', 'shard'],
    numbers.map((n) => [n.msisdn, shardOf(n.msisdn, shards)]),
  );
}

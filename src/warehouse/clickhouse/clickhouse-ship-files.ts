// The second half of a ClickHouse load: the rows the staging DuckDB accepted go to the shard that owns
// each subscriber, file by file, with the commit protocol of clickhouse-load.ts. Two things keep it
// quick at tens of millions of rows without holding them in memory: each file is exported in one pass
// over its staging rows (DuckDB's PARTITION_BY writes one CSV per shard), and while the shards take
// one file's CSV, streamed from disk to all of them at once, DuckDB already exports the next file.
// At most two files' CSV are on disk at a time.
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { feedTables } from '../schema.ts';
import { sqlLiteral } from '../sql-text.ts';
import type { Warehouse } from '../warehouse.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import { type ClickHouseTable, detailTables, localTable } from './clickhouse-schema.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';

/** A file as the staging DuckDB's load_files has it, with its id on ClickHouse. */
export interface FileToShip {
  /** Its id on ClickHouse: from its name and content (clickhouseFileId). */
  id: number;
  /** The id of the content under the same name already on the cluster, replaced by this one. */
  replacedId?: number;
  /** load_files already names this file (so its row there is dropped before the new one is written). */
  recorded: boolean;
  staged: {
    file_id: number;
    file_name: string;
    feed: string;
    period: string | null;
    sha256: string;
    bytes: number;
    rows_read: number;
    rows_loaded: number;
    rows_quarantined: number;
    notes: string | null;
  };
}

interface ExportedFile {
  file: FileToShip;
  table: ClickHouseTable;
  folder: string;
  /** Per shard index: the CSV files holding its rows (none when it owns no row of this file). */
  rowsOf: string[][];
  quarantine: string;
}

/**
 * Ships every file: export of file i+1 runs in DuckDB while file i is sent. Needs the staging table
 * msisdn_shard (which shard owns each subscriber) when the cluster has more than one shard.
 */
export async function shipFiles(
  cluster: ClickHouseWarehouse,
  staging: Warehouse,
  files: readonly FileToShip[],
  options: { scratch: string; clock: Clock },
): Promise<void> {
  const held = await partitionsHeld(cluster);
  const exportOf = (i: number) => exportFile(staging, files[i]!, cluster.shards.length, options.scratch);
  let next: Promise<ExportedFile> | undefined = files.length > 0 ? exportOf(0) : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      const exported: ExportedFile = await next!;
      next = i + 1 < files.length ? exportOf(i + 1) : undefined;
      // Awaited in the next round; a failure of this round must not leave it unhandled meanwhile.
      next?.catch(() => undefined);
      await sendFile(cluster, exported, { clock: options.clock, held });
      await rm(exported.folder, { recursive: true, force: true });
    }
  } finally {
    // The staging DuckDB is closed by the caller: never while an export still runs in it.
    await next?.catch(() => undefined);
  }
}

async function exportFile(
  staging: Warehouse,
  file: FileToShip,
  shards: number,
  scratch: string,
): Promise<ExportedFile> {
  const table = tableOfFeed(file.staged.feed);
  const folder = join(scratch, `file-${file.staged.file_id}`);
  const columns = table.columns.map(([name], i) => duckExport(table, name, i, file.id)).join(', ');
  const where = `t.file_id = ${file.staged.file_id}`;
  await mkdir(folder, { recursive: true });
  let rowsOf: string[][];
  if (table.kind === 'snapshot' || shards === 1) {
    // A snapshot is copied whole to every shard; with one shard every row is its own.
    const path = join(folder, 'rows.csv');
    await staging.run(
      `COPY (SELECT ${columns} FROM ${table.name} t WHERE ${where}) TO ${sqlLiteral(path)} (FORMAT CSV, HEADER false)`,
    );
    const empty = (await stat(path)).size === 0;
    rowsOf = Array.from({ length: shards }, () => (empty ? [] : [path]));
  } else {
    // One pass over the file's rows: DuckDB writes <folder>/rows/shard=<i>/data_<n>.csv.
    const rows = join(folder, 'rows');
    await staging.run(
      `COPY (SELECT ${columns}, m.shard FROM ${table.name} t JOIN msisdn_shard m ON m.msisdn = t.msisdn WHERE ${where}) TO ${sqlLiteral(rows)} (FORMAT CSV, HEADER false, PARTITION_BY (shard))`,
    );
    rowsOf = await Promise.all(
      Array.from({ length: shards }, async (_, index) => {
        const dir = join(rows, `shard=${index}`);
        const names = await readdir(dir).catch(() => [] as string[]);
        return names.filter((n) => n.endsWith('.csv')).map((n) => join(dir, n));
      }),
    );
  }
  const quarantine = join(folder, 'quarantine.csv');
  await staging.run(
    `COPY (SELECT ${file.id}, file_name, coalesce(line, 0), coalesce(field, ''), reason, coalesce(raw, '') FROM quarantine WHERE file_id = ${file.staged.file_id}) TO ${sqlLiteral(quarantine)} (FORMAT CSV, HEADER false)`,
  );
  return { file, table, folder, rowsOf, quarantine };
}

/**
 * The partitions each shard holds rows in (`table<TAB>partition`), read once: a file whose partition
 * no shard holds (every file of a first load) needs no DROP PARTITION. Each statement costs a round
 * trip and 18.16's per-query start-up, which for the small daily files took longer than their rows.
 */
async function partitionsHeld(cluster: ClickHouseWarehouse): Promise<Set<string>[]> {
  return Promise.all(
    cluster.shards.map(async (shard) => {
      const rows = await cluster.allOn<{ table: string; partition: string }>(
        shard,
        'SELECT DISTINCT table, partition FROM system.parts WHERE database = currentDatabase() AND active',
      );
      return new Set(rows.map((r) => `${r.table}\t${r.partition}`));
    }),
  );
}

async function sendFile(
  cluster: ClickHouseWarehouse,
  exported: ExportedFile,
  options: { clock: Clock; held: Set<string>[] },
): Promise<void> {
  const { file, table } = exported;
  const { id, staged } = file;
  const clock = options.clock;
  const targets = cluster.shards.map((shard, index) => ({ shard, index }));
  const holds = (index: number, name: string) => options.held[index]!.has(`${name}\t${id}`);
  // 1. Rows of an earlier attempt at this very content, killed half-way.
  await Promise.all([
    ...targets
      .filter(({ index }) => holds(index, localTable(table)))
      .map(({ shard }) => cluster.runOn(shard, `ALTER TABLE ${localTable(table)} DROP PARTITION ${id}`)),
    ...(holds(0, 'quarantine')
      ? [cluster.runOn(cluster.coordinator, `ALTER TABLE quarantine DROP PARTITION ${id}`)]
      : []),
  ]);
  // 2. The accepted rows, each shard's own straight into its local table, every shard at once.
  const columns = table.columns.map(([name]) => name);
  await Promise.all(
    targets.map(async ({ shard, index }) => {
      for (const path of exported.rowsOf[index]!)
        await cluster.insertCsv(shard, localTable(table), columns, csvBody(path));
    }),
  );
  // 3. The quarantine, on shard 1 beside the registry.
  if ((await stat(exported.quarantine)).size > 0)
    await cluster.insertCsv(
      cluster.coordinator,
      'quarantine',
      ['file_id', 'file_name', 'line', 'field', 'reason', 'raw'],
      csvBody(exported.quarantine),
    );
  // 4. The commit point: the registry names this content.
  if (file.recorded)
    await cluster.runOn(
      cluster.coordinator,
      `ALTER TABLE load_files DROP PARTITION ${clickhouseLiteral(staged.file_name)}`,
    );
  const values = [
    id,
    staged.file_name,
    staged.feed,
    staged.period ?? '',
    staged.sha256,
    staged.bytes,
    staged.rows_read,
    staged.rows_loaded,
    staged.rows_quarantined,
    staged.notes ?? '',
    new Date(clock.nowMs()).toISOString().slice(0, 19).replace('T', ' '),
  ];
  await cluster.runOn(
    cluster.coordinator,
    `INSERT INTO load_files (file_id, file_name, feed, period, sha256, bytes, rows_read, rows_loaded, rows_quarantined, notes, loaded_at) VALUES (${values.map(() => '?').join(', ')})`,
    values,
  );
  // 5. The rows of the content this file replaced (a re-delivery under the same name).
  if (file.replacedId !== undefined && file.replacedId !== id) {
    const replaced = file.replacedId;
    await Promise.all([
      ...targets.map(({ shard }) =>
        cluster.runOn(shard, `ALTER TABLE ${localTable(table)} DROP PARTITION ${replaced}`),
      ),
      cluster.runOn(cluster.coordinator, `ALTER TABLE quarantine DROP PARTITION ${replaced}`),
    ]);
  }
}

/** A CSV file streamed from disk as an HTTP body: memory stays flat whatever the file's size. */
function csvBody(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
}

export function tableOfFeed(feed: string): ClickHouseTable {
  const name = feedTables[feed as keyof typeof feedTables];
  const table = detailTables.find((t) => t.name === name);
  if (!table) throw new AppError('INTERNAL', `no ClickHouse table for feed ${feed}`);
  return table;
}

/** A column as ClickHouse's CSV reads it: booleans 0/1, times to the second, absent text empty. */
function duckExport(table: ClickHouseTable, column: string, index: number, id: number): string {
  if (column === 'file_id') return String(id);
  const type = table.columns[index]![1];
  if (type === 'UInt8') return `CAST(t.${column} AS INTEGER)`;
  if (type === 'DateTime') return `strftime(t.${column}, '%Y-%m-%d %H:%M:%S')`;
  if (type === 'String') return `coalesce(CAST(t.${column} AS VARCHAR), '')`;
  return `t.${column}`;
}

// The mining results on ClickHouse, under exactly the DuckDB names and columns (the stream's model
// results and the audience's score conditions read them by those names). Per-subscriber results
// (churn and propensity scores, offers, segment members) are sharded like the detail: a local MergeTree
// per shard and a Distributed table sharded by cityHash64(msisdn), each row written straight to the
// shard that holds the subscriber (Telmark's own CityHash64, as the loader places rows). The model
// metadata (mining_models, mining_rules) is small and read beside the scores (the latest version of a
// purpose, joined to its scores), so it is copied whole to every shard, like the snapshots: a shard
// resolves "the latest model" locally. Every table is partitioned by model version: writing a version
// drops its partition first, so a re-run replaces and never doubles.
import { AppError } from '../../shared/errors.ts';
import { shardOf } from './city-hash.ts';
import { postStatement } from './clickhouse-http.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';
import { clusterName } from './cluster-name.ts';

/** A value of a row written to a mining table. */
export type MiningValue = string | number | null;

interface MiningTable {
  name: string;
  columns: readonly (readonly [name: string, type: string])[];
  /** Per subscriber (sharded by msisdn) or model metadata (copied to every shard). */
  kind: 'sharded' | 'copied';
  orderBy: string;
}

const S = 'String';
const F = 'Float64';

export const miningTables: readonly MiningTable[] = [
  {
    name: 'mining_models',
    kind: 'copied',
    orderBy: 'model_version',
    columns: [
      ['model_version', S],
      ['purpose', S],
      ['kind', S],
      ['trained_at', 'DateTime'],
      ['rows', 'Int32'],
      ['auc', `Nullable(${F})`],
      ['baseline_auc', `Nullable(${F})`],
      ['method', S],
      ['model_json', S],
    ],
  },
  {
    name: 'mining_rules',
    kind: 'copied',
    orderBy: '(lhs, rhs)',
    columns: [
      ['lhs', S],
      ['rhs', S],
      ['support', F],
      ['confidence', F],
      ['lift', F],
      ['count', 'Int32'],
      ['model_version', S],
    ],
  },
  {
    name: 'mining_churn_scores',
    kind: 'sharded',
    orderBy: 'msisdn',
    columns: [
      ['msisdn', S],
      ['score', F],
      ['model_version', S],
    ],
  },
  {
    name: 'mining_propensity_scores',
    kind: 'sharded',
    orderBy: '(msisdn, service_id)',
    columns: [
      ['msisdn', S],
      ['service_id', S],
      ['score', F],
      ['model_version', S],
    ],
  },
  {
    name: 'mining_offers',
    kind: 'sharded',
    orderBy: '(msisdn, offer_rank)',
    columns: [
      ['msisdn', S],
      ['offer_rank', 'Int32'],
      ['service_id', S],
      ['score', F],
      ['propensity', F],
      ['rule_confidence', F],
      ['reason', S],
      ['model_version', S],
    ],
  },
  {
    name: 'mining_segment_members',
    kind: 'sharded',
    orderBy: 'msisdn',
    columns: [
      ['msisdn', S],
      ['segment', S],
      ['model_version', S],
      ['assigned_at', 'DateTime'],
    ],
  },
];

/** The table rows are written to on a shard: `<name>_local` for per-subscriber results, else the name. */
function storedTable(table: MiningTable): string {
  return table.kind === 'sharded' ? `${table.name}_local` : table.name;
}

/** The statements that make the mining tables (idempotent); run on every shard with the rest of the schema. */
export function clickhouseMiningSchema(database: string): string[] {
  const statements: string[] = [];
  for (const table of miningTables) {
    const columns = table.columns.map(([name, type]) => `${name} ${type}`).join(', ');
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${database}.${storedTable(table)} (${columns}) ENGINE = MergeTree PARTITION BY model_version ORDER BY ${table.orderBy}`,
    );
    if (table.kind === 'sharded')
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${database}.${table.name} AS ${database}.${storedTable(table)} ENGINE = Distributed(${clusterName}, ${database}, ${storedTable(table)}, cityHash64(msisdn))`,
      );
  }
  return statements;
}

/** The rows of one mining table for one model version, in the order of `columns`. */
export interface MiningRows {
  table: string;
  columns: readonly string[];
  rows: readonly (readonly MiningValue[])[];
}

/**
 * Rows in ClickHouse's RowBinary format: the scores are doubles, and 18.16 reads a double from text one
 * unit in the last place off now and then (0.0260839281855743 became 0.026083928185574298), which would
 * move a subscriber across a score threshold or a top-N cut. In binary every double arrives bit for bit.
 */
class RowBinary {
  private readonly chunks: Buffer[] = [];

  string(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    const length: number[] = [];
    let n = bytes.length;
    do {
      length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    this.chunks.push(Buffer.from(length), bytes);
  }

  fixed(size: number, write: (buffer: Buffer) => void): void {
    const buffer = Buffer.alloc(size);
    write(buffer);
    this.chunks.push(buffer);
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

function encodeValue(out: RowBinary, type: string, value: MiningValue, seconds: Map<string, number>): void {
  if (type.startsWith('Nullable(')) {
    out.fixed(1, (b) => b.writeUInt8(value === null ? 1 : 0));
    if (value !== null) encodeValue(out, type.slice(9, -1), value, seconds);
    return;
  }
  if (type === 'String') out.string(String(value ?? ''));
  else if (type === 'Float64') out.fixed(8, (b) => b.writeDoubleLE(Number(value)));
  else if (type === 'Int32') out.fixed(4, (b) => b.writeInt32LE(Number(value)));
  else if (type === 'DateTime') out.fixed(4, (b) => b.writeUInt32LE(seconds.get(String(value))!));
  else throw new AppError('INTERNAL', `no RowBinary encoding for ${type}`, { hint: 'add it to encodeValue' });
}

/**
 * The server's own reading of each timestamp text (its time zone, as a CSV load reads it), so that a
 * DateTime written in binary shows the same text as one loaded from a file.
 */
async function serverSeconds(cluster: ClickHouseWarehouse, texts: Set<string>): Promise<Map<string, number>> {
  const seconds = new Map<string, number>();
  for (const text of texts) {
    const row = await cluster.one<{ s: number }>('SELECT toUInt32(toDateTime(?)) AS s', [text.slice(0, 19)]);
    seconds.set(text, Number(row!.s));
  }
  return seconds;
}

/**
 * Replaces everything of `version` in the given mining tables: on every shard its partition is dropped,
 * then each per-subscriber row goes to its subscriber's shard and each metadata row to every shard.
 * Idempotent without transactions: a run killed half-way leaves a partial version that the next run
 * of the same version drops (a reader may see it meanwhile; docs/scale-out.md).
 */
export async function replaceMiningVersion(
  cluster: ClickHouseWarehouse,
  version: string,
  parts: readonly MiningRows[],
): Promise<void> {
  for (const shard of cluster.shards)
    for (const statement of clickhouseMiningSchema(cluster.database)) await cluster.runOn(shard, statement);
  for (const part of parts) {
    const table = miningTables.find((t) => t.name === part.table);
    if (!table)
      throw new AppError('INTERNAL', `${part.table} is not a mining table on ClickHouse`, {
        hint: `name one of ${miningTables.map((t) => t.name).join(', ')}`,
      });
    const types = part.columns.map((c) => {
      const type = table.columns.find(([name]) => name === c)?.[1];
      if (!type)
        throw new AppError('INTERNAL', `${part.table} has no column ${c}`, {
          hint: `its columns: ${table.columns.map(([name]) => name).join(', ')}`,
        });
      return type;
    });
    // DateTime has whole seconds on 18.16: a timestamp's fraction is cut, as the loader does.
    const texts = new Set<string>();
    part.columns.forEach((_, i) => {
      if (types[i] === 'DateTime') for (const row of part.rows) texts.add(String(row[i]));
    });
    const seconds = await serverSeconds(cluster, texts);
    const at = part.columns.indexOf('msisdn');
    const bodies = cluster.shards.map(() => new RowBinary());
    const counts = cluster.shards.map(() => 0);
    for (const row of part.rows) {
      const targets =
        table.kind === 'copied' ? cluster.shards.map((_, i) => i) : [shardOf(String(row[at]), cluster.shards.length)];
      for (const index of targets) {
        row.forEach((value, i) => {
          encodeValue(bodies[index]!, types[i]!, value, seconds);
        });
        counts[index]!++;
      }
    }
    for (const [index, shard] of cluster.shards.entries()) {
      await cluster.runOn(shard, `ALTER TABLE ${storedTable(table)} DROP PARTITION ${clickhouseLiteral(version)}`);
      if (counts[index] === 0) continue;
      await postStatement(
        shard,
        cluster.database,
        `INSERT INTO ${storedTable(table)} (${part.columns.join(', ')}) FORMAT RowBinary`,
        { body: bodies[index]!.bytes() },
      );
    }
  }
}

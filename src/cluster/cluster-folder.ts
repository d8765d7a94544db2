// `telmark cluster up|down`: the ClickHouse shards and the NATS nodes of one folder, started and stopped
// together, with what was started described in the folder's cluster.json.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../shared/errors.ts';
import { startClickHouseShards, stopClickHouseShards } from './clickhouse-shards.ts';
import { startNatsNodes, stopNatsNodes } from './nats-nodes.ts';

export interface ClusterAddresses {
  /** The value for `--warehouse`. */
  warehouse: string;
  /** The NATS servers for the stream. */
  nats: string[];
}

export interface ClusterUpOptions {
  shards?: number;
  natsNodes?: number;
}

export async function startCluster(folder: string, options: ClusterUpOptions = {}): Promise<ClusterAddresses> {
  const dir = resolve(folder);
  const described = join(dir, 'cluster.json');
  if (existsSync(described)) {
    throw new AppError('USAGE', `a cluster is already up in ${dir}`, {
      location: { file: described },
      hint: `stop it first: telmark cluster down --folder ${folder}`,
    });
  }
  mkdirSync(dir, { recursive: true });
  const clickhouse = await startClickHouseShards(dir, options.shards ?? 2);
  let nats: { servers: string[] };
  try {
    nats = await startNatsNodes(dir, options.natsNodes ?? 3);
  } catch (error) {
    await stopClickHouseShards(dir);
    throw error;
  }
  const addresses = { warehouse: clickhouse.warehouse, nats: nats.servers };
  writeFileSync(described, `${JSON.stringify({ ...addresses, shards: clickhouse.shards }, null, 2)}\n`);
  return addresses;
}

/** The addresses of the cluster up in `folder`, or undefined. */
export function readCluster(folder: string): ClusterAddresses | undefined {
  const described = join(resolve(folder), 'cluster.json');
  if (!existsSync(described)) return undefined;
  const data = JSON.parse(readFileSync(described, 'utf8')) as ClusterAddresses;
  return { warehouse: data.warehouse, nats: data.nats };
}

/** Stops every process recorded in `folder` and waits for them; the data folders stay. */
export async function stopCluster(folder: string): Promise<{ stopped: boolean }> {
  const dir = resolve(folder);
  const stoppedPids = await stopClickHouseShards(dir);
  const wasUp = existsSync(join(dir, 'cluster.json'));
  await stopNatsNodes(dir);
  rmSync(join(dir, 'cluster.json'), { force: true });
  return { stopped: wasUp || stoppedPids.length > 0 };
}

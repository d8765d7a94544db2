// ClickHouse shards on loopback from Debian's `clickhouse-server` (18.16), without systemd: each shard
// its own folder, configuration and free ports, and one `remote_servers` cluster named `telmark` over
// all of them, so Distributed tables work without ZooKeeper (no replicas here; see docs/scale-out.md).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors.ts';
import { type PortPicker, PortTakenError, logEnd, onFreshPorts, portInUseLine } from './port-taken.ts';
import { forgetPids, isAlive, readPids, stopPids, writePids } from './process-ids.ts';

export interface ClickHouseShard {
  name: string;
  folder: string;
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
  pid: number;
}

export interface ClickHouseShards {
  shards: ClickHouseShard[];
  /** The value for `--warehouse`: clickhouse://127.0.0.1:HTTP,127.0.0.1:HTTP/telmark */
  warehouse: string;
}

/** The cluster name every shard's configuration defines, and Distributed tables name. */
export const clusterName = 'telmark';

/** Starts `count` shards; a shard that finds one of its ports taken makes all start again on fresh ones. */
export function startClickHouseShards(
  folder: string,
  count: number,
  binary = serverBinary(),
  pickPorts?: PortPicker,
): Promise<ClickHouseShards> {
  return onFreshPorts(count * 3, (ports) => startOnPorts(folder, count, binary, ports), pickPorts);
}

async function startOnPorts(folder: string, count: number, binary: string, ports: number[]): Promise<ClickHouseShards> {
  const shards = Array.from({ length: count }, (_, i) => ({
    name: `shard${i + 1}`,
    folder: join(folder, `clickhouse-shard${i + 1}`),
    httpPort: ports[i * 3]!,
    tcpPort: ports[i * 3 + 1]!,
    interserverPort: ports[i * 3 + 2]!,
  }));
  const started: (ClickHouseShard & { logsFrom: LogOffsets })[] = [];
  try {
    for (const shard of shards) {
      mkdirSync(shard.folder, { recursive: true });
      const config = join(shard.folder, 'config.xml');
      writeFileSync(config, serverConfig(shard, shards));
      writeFileSync(join(shard.folder, 'users.xml'), usersConfig);
      const logsFrom = Object.fromEntries(
        shardLogs.map((name) => [name, logEnd(join(shard.folder, name))]),
      ) as LogOffsets;
      const log = openSync(join(shard.folder, 'stdout.log'), 'a');
      const child = spawn(binary, [`--config-file=${config}`], {
        cwd: shard.folder,
        detached: true,
        stdio: ['ignore', log, log],
      });
      closeSync(log);
      const pid = await spawned(child, binary);
      child.unref();
      started.push({ ...shard, pid, logsFrom });
      writePids(
        folder,
        'clickhouse',
        started.map((s) => s.pid),
      );
    }
    await Promise.all(started.map((shard) => waitUntilAnswering(shard)));
  } catch (error) {
    await stopPids(started.map((s) => s.pid));
    forgetPids(folder, 'clickhouse');
    throw error;
  }
  return {
    shards: started.map(({ logsFrom: _, ...shard }) => shard),
    warehouse: `clickhouse://${started.map((s) => `127.0.0.1:${s.httpPort}`).join(',')}/telmark`,
  };
}

/** Debian puts the server in /usr/sbin, which a non-root PATH often lacks. */
function serverBinary(): string {
  return existsSync('/usr/sbin/clickhouse-server') ? '/usr/sbin/clickhouse-server' : 'clickhouse-server';
}

/** Stops the shards recorded in `folder` by their process ids and waits until they have exited. */
export async function stopClickHouseShards(folder: string): Promise<number[]> {
  const pids = readPids(folder, 'clickhouse');
  await stopPids(pids);
  forgetPids(folder, 'clickhouse');
  return pids;
}

function spawned(child: ReturnType<typeof spawn>, binary: string): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new AppError('INTERNAL', `cannot start ${binary}: ${error.message}`, {
          hint: 'install it: apt-get install -y clickhouse-server clickhouse-client',
          cause: error,
        }),
      ),
    );
    child.once('spawn', () => resolve(child.pid!));
  });
}

/** The shard's own logs, where it says why it stopped; stdout.log takes what it prints before its logger. */
const shardLogs = ['server.err.log', 'stdout.log'] as const;
type LogOffsets = Record<(typeof shardLogs)[number], number>;

async function waitUntilAnswering(
  shard: ClickHouseShard & { logsFrom: LogOffsets },
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A shard that could not bind a port exits: say why at once instead of waiting out the minute.
    if (!isAlive(shard.pid)) throw exitedDuringStart(shard);
    try {
      const response = await fetch(`http://127.0.0.1:${shard.httpPort}/?query=SELECT%201`, {
        signal: AbortSignal.timeout(5000),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  let tail = '';
  try {
    tail = readFileSync(join(shard.folder, 'server.err.log'), 'utf8').split('\n').slice(-5).join('\n');
  } catch {
    // No log yet.
  }
  throw new AppError(
    'INTERNAL',
    `ClickHouse ${shard.name} did not answer on port ${shard.httpPort} within ${timeoutMs / 1000} s`,
    {
      location: { file: join(shard.folder, 'server.err.log') },
      hint: tail || "see the shard folder's logs",
    },
  );
}

function exitedDuringStart(shard: ClickHouseShard & { logsFrom: LogOffsets }): AppError {
  for (const name of shardLogs) {
    const file = join(shard.folder, name);
    const line = portInUseLine(file, shard.logsFrom[name]);
    if (line) return new PortTakenError(`ClickHouse ${shard.name}`, file, line);
  }
  return new AppError('INTERNAL', `ClickHouse ${shard.name} exited during start`, {
    location: { file: join(shard.folder, 'server.err.log') },
    hint: 'read its logs in the shard folder for the reason',
  });
}

function serverConfig(
  shard: { folder: string; httpPort: number; tcpPort: number; interserverPort: number },
  all: { tcpPort: number }[],
): string {
  const dir = shard.folder;
  const replicas = all
    .map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcpPort}</port></replica></shard>`)
    .join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${shard.httpPort}</http_port>
  <tcp_port>${shard.tcpPort}</tcp_port>
  <interserver_http_port>${shard.interserverPort}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_concurrent_queries>50</max_concurrent_queries>
  <keep_alive_timeout>300</keep_alive_timeout>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <remote_servers><${clusterName}>${replicas}</${clusterName}></remote_servers>
</yandex>
`;
}

// Loopback only, no password: a local cluster for tests and trials, never exposed.
const usersConfig = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

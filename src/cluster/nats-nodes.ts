// NATS nodes on loopback for scale-out tests and `telmark cluster up`: Debian's nats-server with JetStream,
// each node with its own folder (config, store, log), free client, route and monitor ports, all routed into
// one cluster. The process ids go to `nats-nodes.json` in the folder so that `stopNatsNodes` (or another
// process running `telmark cluster down`) stops exactly these processes and nothing else.
import { type PortPicker, PortTakenError, logEnd, onFreshPorts, portInUseLine } from './port-taken.ts';
import { isAlive, stopPids } from './process-ids.ts';
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../shared/errors.ts';

export interface NatsNode {
  name: string;
  pid: number;
  clientPort: number;
  routePort: number;
  monitorPort: number;
  folder: string;
}

const STATE_FILE = 'nats-nodes.json';
const CLUSTER_NAME = 'telmark';
const READY_TIMEOUT_MS = 30_000;

/** Starts `count` routed nodes; a node that finds one of its ports taken makes all start again on fresh ones. */
export async function startNatsNodes(
  folder: string,
  count: number,
  pickPorts?: PortPicker,
): Promise<{ servers: string[]; pids: number[] }> {
  if (!Number.isInteger(count) || count < 1)
    throw new AppError('USAGE', `NATS node count must be a whole number of at least 1, not ${count}`);
  const root = resolve(folder);
  if (existsSync(join(root, STATE_FILE)))
    throw new AppError('USAGE', `NATS nodes already run from ${root} (${STATE_FILE} exists)`, {
      hint: 'stop them first (telmark cluster down), or give another folder',
    });
  mkdirSync(root, { recursive: true });
  return onFreshPorts(count * 3, (ports) => startOnPorts(root, count, ports), pickPorts);
}

async function startOnPorts(
  root: string,
  count: number,
  ports: number[],
): Promise<{ servers: string[]; pids: number[] }> {
  const nodes: NatsNode[] = [];
  for (let i = 0; i < count; i++)
    nodes.push({
      name: `n${i}`,
      pid: 0,
      clientPort: ports[i * 3]!,
      routePort: ports[i * 3 + 1]!,
      monitorPort: ports[i * 3 + 2]!,
      folder: join(root, `nats-n${i}`),
    });
  const logsFrom: number[] = [];
  for (const node of nodes) {
    mkdirSync(join(node.folder, 'store'), { recursive: true });
    writeFileSync(join(node.folder, 'nats.conf'), nodeConfig(node, nodes));
    logsFrom.push(logEnd(join(node.folder, 'nats.log')));
    node.pid = spawnNode(node);
  }
  writeFileSync(join(root, STATE_FILE), `${JSON.stringify({ nodes }, null, 2)}\n`);
  try {
    await waitUntilReady(nodes, logsFrom);
  } catch (error) {
    await stopNatsNodes(root);
    throw error;
  }
  return { servers: nodes.map((n) => `nats://127.0.0.1:${n.clientPort}`), pids: nodes.map((n) => n.pid) };
}

/** Stops the nodes started from `folder` by their process ids and waits until each has exited. */
export async function stopNatsNodes(folder: string): Promise<void> {
  const stateFile = join(resolve(folder), STATE_FILE);
  if (!existsSync(stateFile)) return;
  const { nodes } = JSON.parse(readFileSync(stateFile, 'utf8')) as { nodes: NatsNode[] };
  await stopPids(nodes.map((node) => node.pid));
  rmSync(stateFile, { force: true });
}

/** The nodes started from `folder` (names, ports, pids), e.g. for a test that kills one of them. */
export function readNatsNodes(folder: string): NatsNode[] {
  const stateFile = join(resolve(folder), STATE_FILE);
  if (!existsSync(stateFile)) return [];
  return (JSON.parse(readFileSync(stateFile, 'utf8')) as { nodes: NatsNode[] }).nodes;
}

function nodeConfig(node: NatsNode, all: readonly NatsNode[]): string {
  const routes = all.filter((n) => n !== node).map((n) => `nats-route://127.0.0.1:${n.routePort}`);
  const lines = [
    `server_name: ${node.name}`,
    `listen: 127.0.0.1:${node.clientPort}`,
    `http: 127.0.0.1:${node.monitorPort}`,
    `jetstream { store_dir: ${JSON.stringify(join(node.folder, 'store'))} }`,
  ];
  // A single node is a plain JetStream server; a cluster needs a name and routes to its peers.
  if (all.length > 1)
    lines.push(
      `cluster { name: ${CLUSTER_NAME}, listen: 127.0.0.1:${node.routePort}, routes: [${routes.join(', ')}] }`,
    );
  return `${lines.join('\n')}\n`;
}

function spawnNode(node: NatsNode): number {
  const log = openSync(join(node.folder, 'nats.log'), 'a');
  try {
    // Detached with its own log, so that `telmark cluster up` may exit and leave the node running.
    const child = spawn('nats-server', ['-c', join(node.folder, 'nats.conf')], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.on('error', () => undefined);
    if (child.pid === undefined)
      throw new AppError('INTERNAL', 'cannot start nats-server', {
        hint: 'install it (apt-get install -y nats-server) and make sure it is on the PATH',
      });
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/**
 * Ready when every node's monitor reports the same JetStream meta leader (so R3 streams can be placed)
 * and every node takes client connections. nats-server starts its monitor and JetStream before it
 * listens for clients, so the monitor alone can say "ready" while a client is still refused (seen on
 * a starved machine: "connection refused" right after the start).
 */
export async function waitUntilReady(
  nodes: readonly Pick<NatsNode, 'name' | 'pid' | 'clientPort' | 'monitorPort' | 'folder'>[],
  logsFrom: readonly number[] = [],
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const [i, node] of nodes.entries())
      if (!isAlive(node.pid)) {
        const log = join(node.folder, 'nats.log');
        const portInUse = portInUseLine(log, logsFrom[i] ?? 0);
        if (portInUse) throw new PortTakenError(`nats-server ${node.name}`, log, portInUse);
        throw new AppError('INTERNAL', `nats-server ${node.name} exited during start`, {
          location: { file: log },
          hint: 'read its log for the reason (a bad store folder, a bad configuration)',
        });
      }
    const leaders = await Promise.all(nodes.map((node) => metaLeaderOf(node)));
    if (
      leaders.every((l) => l !== undefined && l === leaders[0]) &&
      (await Promise.all(nodes.map((node) => takesConnections(node.clientPort)))).every(Boolean)
    )
      return;
    await sleep(200);
  }
  throw new AppError(
    'INTERNAL',
    `NATS cluster of ${nodes.length} nodes is not ready after 30 s (no JetStream meta leader, or a client port refused)`,
    {
      location: { file: join(nodes[0]!.folder, 'nats.log') },
      hint: 'read the nodes’ logs (nats.log in each node folder)',
    },
  );
}

/** Whether a TCP connection to the port on loopback is accepted (it is closed at once). */
export function takesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    const done = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function metaLeaderOf(node: Pick<NatsNode, 'name' | 'monitorPort'>): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${node.monitorPort}/jsz`, { signal: AbortSignal.timeout(1000) });
    if (!response.ok) return undefined;
    const jsz = (await response.json()) as { meta_cluster?: { leader?: string }; disabled?: boolean };
    if (jsz.disabled) return undefined;
    // A single node has no meta cluster: JetStream being enabled is enough.
    return jsz.meta_cluster ? jsz.meta_cluster.leader || undefined : node.name;
  } catch {
    return undefined;
  }
}

// NATS nodes on loopback for the scale-out tests: `count` nats-server processes with JetStream, joined
// by routes into one cluster, each with its own folder and free ports. Kept small on purpose: the
// stream half of issue 18 (branch h3-nats) owns a module of this name and signature, which replaces it.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors.ts';
import { freePorts } from './free-port.ts';
import { forgetPids, readPids, stopPids, writePids } from './process-ids.ts';

export async function startNatsNodes(folder: string, count: number): Promise<{ servers: string[]; pids: number[] }> {
  const ports = await freePorts(count * 3);
  const nodes = Array.from({ length: count }, (_, i) => ({
    name: `nats${i + 1}`,
    folder: join(folder, `nats${i + 1}`),
    clientPort: ports[i * 3]!,
    routePort: ports[i * 3 + 1]!,
    monitorPort: ports[i * 3 + 2]!,
  }));
  const routes = nodes.map((n) => `nats://127.0.0.1:${n.routePort}`).join(',');
  const pids: number[] = [];
  try {
    for (const node of nodes) {
      mkdirSync(node.folder, { recursive: true });
      const log = openSync(join(node.folder, 'nats.log'), 'a');
      const child = spawn(
        'nats-server',
        [
          ...['-n', node.name, '-a', '127.0.0.1', '-p', String(node.clientPort), '-m', String(node.monitorPort)],
          ...['-js', '-sd', join(node.folder, 'jetstream')],
          // One node alone runs JetStream unclustered: a cluster of one never elects a meta leader.
          ...(count > 1
            ? ['--cluster_name', 'telmark', '--cluster', `nats://127.0.0.1:${node.routePort}`, '--routes', routes]
            : []),
        ],
        { detached: true, stdio: ['ignore', log, log] },
      );
      closeSync(log);
      pids.push(
        await new Promise<number>((resolve, reject) => {
          child.once('error', (error) =>
            reject(
              new AppError('INTERNAL', `cannot start nats-server: ${error.message}`, {
                hint: 'install it: apt-get install -y nats-server',
                cause: error,
              }),
            ),
          );
          child.once('spawn', () => resolve(child.pid!));
        }),
      );
      child.unref();
      writePids(folder, 'nats', pids);
    }
    // JetStream answers healthy once the cluster has elected its meta leader.
    await Promise.all(nodes.map((node) => waitHealthy(node.monitorPort, node.name)));
  } catch (error) {
    await stopPids(pids);
    forgetPids(folder, 'nats');
    throw error;
  }
  return { servers: nodes.map((n) => `nats://127.0.0.1:${n.clientPort}`), pids };
}

export async function stopNatsNodes(folder: string): Promise<void> {
  await stopPids(readPids(folder, 'nats'));
  forgetPids(folder, 'nats');
}

async function waitHealthy(monitorPort: number, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${monitorPort}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new AppError('INTERNAL', `NATS node ${name} was not healthy within ${timeoutMs / 1000} s`, {
    hint: `see its log under the cluster folder (${name}/nats.log)`,
  });
}

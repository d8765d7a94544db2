// The stream on a 3-node NATS JetStream cluster on loopback: events/s with 1 and 2 worker processes
// reading the partitioned stream SIG, against the in-process engine over the same lines (parse + state
// + rules, no NATS) as the baseline. Events are published first (that rate is reported too), so the
// workers' figure is what they consume. The engine's work is the same as in the single-process figure:
// what the cluster adds is the fetching, the splitting of messages and the acknowledgements.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsNodes, stopNatsNodes } from '../../src/cluster/nats-nodes.ts';
import { createEventLineParser } from '../../src/stream/events/parse-event-line.ts';
import { TriggerEngine } from '../../src/stream/engine/trigger-engine.ts';
import { partitionOf, workerPartitions } from '../../src/stream/partitions/partition-of.ts';
import { openSignallingPublisher } from '../../src/stream/partitions/signalling-publisher.ts';
import { applyRuleFile } from '../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../src/stream/rules/parse-rules.ts';
import { reportFigure } from '../report.ts';
import { repository } from './processes.ts';

export interface ClusterBenchOptions {
  lines: string[];
  cells: ConstructorParameters<typeof TriggerEngine>[0]['cells'];
  rules: string;
  partitions: number;
}

export async function benchStreamCluster(options: ClusterBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-bench-sig-'));
  const folder = join(dir, 'nats');
  try {
    const { servers } = await startNatsNodes(folder, 3);
    const msisdns = options.lines.map((l) => /"msisdn":"(\d+)"/.exec(l)![1]!);
    const perPartition = new Array<number>(options.partitions).fill(0);
    for (const m of msisdns) perPartition[partitionOf(m, options.partitions)]!++;

    // Baseline: the same lines through one in-process engine.
    const engine = new TriggerEngine({
      cells: options.cells,
      clock: { now: () => new Date(), nowMs: () => Date.now() },
    });
    applyRuleFile(engine, parseRuleText(options.rules, 'bench.yaml'));
    const parser = createEventLineParser({ reuse: true });
    const t0 = performance.now();
    for (const line of options.lines) {
      const o = parser.parse(line);
      if (o.kind === 'event') engine.process(o.event);
    }
    const inProcess = options.lines.length / ((performance.now() - t0) / 1000);

    const p0 = performance.now();
    const publisher = await openSignallingPublisher({ servers, partitions: options.partitions, batchEvents: 500 });
    for (let i = 0; i < options.lines.length; i++) await publisher.add(options.lines[i]!, msisdns[i]!);
    const published = await publisher.close();
    const publishRate = published.events / ((performance.now() - p0) / 1000);
    console.log(`published ${published.events} events in ${published.messages} messages (3 replicas, acked)`);
    reportFigure({
      name: 'stream.cluster_publish_events_per_s',
      value: publishRate,
      unit: 'events/s',
      baseline: 'in-process engine',
      baselineValue: inProcess,
      ratio: publishRate / inProcess,
    });

    const rates: number[] = [];
    for (const count of [1, 2]) {
      const runs = await Promise.all(
        Array.from({ length: count }, (_, index) => {
          const expected = workerPartitions({ index, count }, options.partitions).reduce(
            (n, p) => n + perPartition[p]!,
            0,
          );
          return runWorker([
            servers.join(','),
            String(options.partitions),
            `${index}/${count}`,
            String(expected),
            join(dir, `w${count}-${index}.snap`),
          ]);
        }),
      );
      const events = runs.reduce((n, r) => n + r.events + r.rejected, 0);
      const seconds = (Math.max(...runs.map((r) => r.lastMs)) - Math.min(...runs.map((r) => r.firstMs))) / 1000;
      const rate = events / seconds;
      rates.push(rate);
      console.log(`${count} worker(s): ${events} events in ${seconds.toFixed(2)} s, first event to last`);
      reportFigure({
        name: `stream.cluster_${count}_worker${count > 1 ? 's' : ''}_events_per_s`,
        value: rate,
        unit: 'events/s',
        baseline: 'in-process engine',
        baselineValue: inProcess,
        ratio: rate / inProcess,
      });
      await deleteConsumers(servers, options.partitions);
    }
    console.log(`2 workers / 1 worker: ${(rates[1]! / rates[0]!).toFixed(2)} (2 cores shared with other work)`);
  } finally {
    await stopNatsNodes(folder);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The next run starts from the beginning of the stream again (the workers of the last run leave their consumers). */
export async function deleteConsumers(servers: string[], partitions: number): Promise<void> {
  const connection = await connect({ servers });
  try {
    const manager = await jetstreamManager(connection);
    for (let p = 0; p < partitions; p++) await manager.consumers.delete('SIG', `telmark-sig-${p}`).catch(() => false);
  } finally {
    await connection.close();
  }
}

function runWorker(args: string[]): Promise<{ events: number; rejected: number; firstMs: number; lastMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repository, 'bench', 'support', 'stream-cluster-worker.ts'), ...args],
      { cwd: repository, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!));
      else reject(new Error(`stream worker ${args[2]} exited with ${code}`));
    });
  });
}

// The stream half of the scale benchmark, run as a user runs it: the feed's signalling is published
// once into a 3-node NATS JetStream cluster (replicas 3) by `telmark replay --nats`, then consumed by
// 1 and by 2 `telmark stream --nats --worker i/N` processes, each with its own --db file, until every
// partition's consumer has acknowledged everything (read from the consumers' num_pending and
// num_ack_pending, never a sleep). The baseline is the same events through `telmark stream --source
// FILE` (no NATS), in the same run. The triggers each run writes (rows of stream_outbox, summed over
// the workers' files) are counted: 1 and 2 workers must write the same number, or the bench fails.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsNodes, stopNatsNodes } from '../../src/cluster/nats-nodes.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';
import { onCleanup } from './bench-cleanup.ts';
import { repository, telmarkBin } from './processes.ts';
import { deleteConsumers } from './stream-cluster.ts';

export interface ScaleStreamOptions {
  /** The generated feed folder (signalling_*.csv, cells.csv, subscribers.csv). */
  feeds: string;
  /** Scratch folder for the events file, the nodes, the workers' files; removed by the caller. */
  folder: string;
  rulesFile: string;
  partitions: number;
  progress: (text: string) => void;
}

export interface StreamRun {
  /** Events published (for the file run: in the file); the rate is over these. */
  events: number;
  /** What the processes' summaries say they did: events processed, lines rejected, lines seen again. */
  counted: { events: number; rejected: number; duplicates: number };
  seconds: number;
  /** Rows of stream_outbox: every decision a rule made (sent, held out as control, suppressed). */
  triggers: number;
  /** Messages those triggers queued in the one outbox. */
  messages: number;
}

export interface ScaleStreamResult {
  events: number;
  publishSeconds: number;
  file: StreamRun;
  workers: { count: number; run: StreamRun }[];
}

export async function benchScaleStream(options: ScaleStreamOptions): Promise<ScaleStreamResult> {
  const { folder, feeds, progress } = options;
  mkdirSync(folder, { recursive: true });
  const eventsFile = join(folder, 'events.jsonl');
  // The same conversion the publisher uses (CSV row -> JSON line), written once for the baseline.
  await telmark(['replay', '--from', feeds, '--speed', '0', '--to', eventsFile, '--format', 'json'], progress);
  const streamArgs = [
    '--rules',
    options.rulesFile,
    '--cells',
    join(feeds, 'cells.csv'),
    '--profiles',
    join(feeds, 'subscribers.csv'),
    '--max-skew',
    'off',
  ];

  progress('stream: baseline, one process reading the events file (no NATS)');
  const fileDb = join(folder, 'file.duckdb');
  const fileStarted = performance.now();
  const fileSummary = await telmark(
    ['--db', fileDb, 'stream', '--source', eventsFile, ...streamArgs, '--format', 'json'],
    progress,
  );
  const fileSeconds = (performance.now() - fileStarted) / 1000;
  const fileCounts = summaryCounts([fileSummary]);
  const file = {
    events: fileCounts.events,
    counted: fileCounts,
    seconds: fileSeconds,
    ...(await triggersIn([fileDb])),
  };

  const natsFolder = join(folder, 'nats');
  const stopNodes = onCleanup('NATS nodes', () => stopNatsNodes(natsFolder));
  try {
    const { servers } = await startNatsNodes(natsFolder, 3);
    const urls = servers.join(',');
    progress(`stream: publishing into 3 JetStream nodes, ${options.partitions} partitions, replicas 3`);
    const publishStarted = performance.now();
    const published = await telmark(
      [
        'replay',
        '--from',
        feeds,
        '--speed',
        '0',
        '--nats',
        urls,
        '--partitions',
        String(options.partitions),
        '--replicas',
        '3',
        '--format',
        'json',
      ],
      progress,
    );
    const publishSeconds = (performance.now() - publishStarted) / 1000;
    const events = Number((JSON.parse(published) as { sent: number }[])[0]!.sent);

    const workers: ScaleStreamResult['workers'] = [];
    for (const count of [1, 2]) {
      await deleteConsumers(servers, options.partitions);
      progress(`stream: ${count} worker(s) consuming ${events} events`);
      const dbs = Array.from({ length: count }, (_, i) => join(folder, `w${count}-${i}.duckdb`));
      const started = performance.now();
      const children = dbs.map((db, i) =>
        startTelmark([
          '--db',
          db,
          'stream',
          '--nats',
          urls,
          '--partitions',
          String(options.partitions),
          '--worker',
          `${i}/${count}`,
          '--snapshot',
          join(folder, `w${count}-${i}.snap`),
          '--snapshot-every',
          '1',
          ...streamArgs,
          '--format',
          'json',
        ]),
      );
      const stopChildren = onCleanup(`${count} stream worker(s)`, () =>
        Promise.all(children.map((c) => endChild(c).catch(() => ''))),
      );
      try {
        await waitForAllAcknowledged(servers, options.partitions, children, progress);
        const seconds = (performance.now() - started) / 1000;
        // Reported, not thrown: a shortfall is a finding of the run (bench/scale.ts prints it).
        const counted = summaryCounts(await Promise.all(children.map(endChild)));
        const rereads = children.flatMap((c) => output.get(c)!.rereads);
        progress(
          `  ${count} worker(s): ${rereads.length} consumer re-creations${rereads.length > 0 ? `, e.g. ${rereads.slice(0, 3).join(' | ')}` : ''}`,
        );
        workers.push({ count, run: { events, counted, seconds, ...(await triggersIn(dbs)) } });
      } finally {
        await stopChildren();
      }
    }
    return { events, publishSeconds, file, workers };
  } finally {
    await stopNodes();
  }
}

/** Every partition's consumer exists and holds nothing undelivered or unacknowledged. */
async function waitForAllAcknowledged(
  servers: string[],
  partitions: number,
  children: ChildProcess[],
  progress: (text: string) => void,
): Promise<void> {
  const connection = await connect({ servers });
  let reported = performance.now();
  try {
    const manager = await jetstreamManager(connection);
    for (;;) {
      const failed = children.find((c) => c.exitCode !== null);
      if (failed) throw new Error(`a stream worker exited early (code ${failed.exitCode}): ${stderrOf(failed)}`);
      const infos = await Promise.all(
        Array.from({ length: partitions }, (_, p) =>
          manager.consumers.info('SIG', `telmark-sig-${p}`).catch(() => undefined),
        ),
      );
      if (infos.every((i) => i !== undefined && i.num_pending === 0 && i.num_ack_pending === 0)) return;
      if (performance.now() - reported > 30_000) {
        reported = performance.now();
        const waiting = infos.reduce((n, i) => n + (i ? i.num_pending + i.num_ack_pending : 0), 0);
        progress(`  ${waiting} messages not yet acknowledged`);
      }
      await sleep(200);
    }
  } finally {
    await connection.close();
  }
}

async function triggersIn(dbs: string[]): Promise<{ triggers: number; messages: number }> {
  let triggers = 0;
  let messages = 0;
  for (const db of dbs) {
    const warehouse = await Warehouse.open(db);
    try {
      triggers += await warehouse.scalar('SELECT count(*) FROM stream_outbox');
      messages += await warehouse.scalar("SELECT count(*) FROM channel_outbox WHERE source = 'trigger'");
    } finally {
      warehouse.close();
    }
  }
  return { triggers, messages };
}

function summaryCounts(outputs: string[]): StreamRun['counted'] {
  const total = { events: 0, rejected: 0, duplicates: 0 };
  for (const json of outputs) {
    const row = (JSON.parse(json) as Record<keyof typeof total, number>[])[0]!;
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += Number(row[key] ?? 0);
  }
  return total;
}

const output = new WeakMap<
  ChildProcess,
  { stdout: string; stderr: string; closed: Promise<number | null>; rereads: string[] }
>();

function startTelmark(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [telmarkBin, ...args], {
    cwd: repository,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close' (not 'exit'): the output is complete only once the pipes are closed too.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const text = { stdout: '', stderr: '', closed, rereads: [] as string[] };
  output.set(child, text);
  child.stdout!.on('data', (d) => {
    text.stdout += d;
  });
  child.stderr!.on('data', (d) => {
    // Only the tail matters (the error, the last progress note): memory stays bounded.
    text.stderr = (text.stderr + d).slice(-4000);
    // A partition's consumer re-created mid-run (delivery jump, silent consumer): kept for the report.
    for (const line of String(d).split('\n')) if (/reading again/.test(line)) text.rereads.push(line.trim());
  });
  return child;
}

function stderrOf(child: ChildProcess): string {
  return output.get(child)?.stderr.trim().split('\n').slice(-5).join('\n') ?? '';
}

/** Stops a worker (SIGTERM: it flushes, snapshots and prints its summary) and returns its stdout. */
async function endChild(child: ChildProcess): Promise<string> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await output.get(child)!.closed;
  if (child.exitCode !== 0) throw new Error(`stream worker exited with ${child.exitCode}: ${stderrOf(child)}`);
  return output.get(child)!.stdout;
}

/** Runs a telmark command to its end; its progress notes are passed on now and then; returns stdout. */
async function telmark(args: string[], progress: (text: string) => void): Promise<string> {
  const child = startTelmark(args);
  const stop = onCleanup(`telmark ${args[0] === '--db' ? args[2] : args[0]}`, () => endChild(child).catch(() => ''));
  const ticker = setInterval(() => {
    const last = output.get(child)?.stderr.trim().split('\n').at(-1);
    if (last) progress(`  ${last}`);
  }, 30_000);
  try {
    const code = await output.get(child)!.closed;
    if (code !== 0) throw new Error(`telmark ${args.join(' ')} exited with ${code}: ${stderrOf(child)}`);
    return output.get(child)!.stdout;
  } finally {
    clearInterval(ticker);
    await stop();
  }
}

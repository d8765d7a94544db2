// The signalling stream on a 3-node NATS JetStream cluster: partitions by subscriber, workers owning
// partitions through durable consumers, and faults (a node killed, a worker killed) that must lose no
// acknowledged event and double no trigger. The reference is one process reading the same events.
import { isAlive } from '../../../src/cluster/process-ids.ts';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { readNatsNodes, startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { openSignallingPublisher } from '../../../src/stream/partitions/signalling-publisher.ts';
import {
  type EventFixture,
  PARTITIONS,
  type RunResult,
  decisionsOf,
  runSingleProcess,
  runWorker,
  writeEvents,
  writeStreamFiles,
} from './cluster-fixtures.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-sig-cluster-'));
let servers: string[] = [];
let fixture: EventFixture;
let files: { cellsFile: string; rulesFile: string };
let reference: RunResult;

async function freshStream(): Promise<void> {
  const connection = await connect({ servers });
  try {
    const manager = await jetstreamManager(connection);
    await manager.streams.delete('SIG').catch(() => false);
  } finally {
    await connection.close();
  }
}

async function publishAll(lines: EventFixture['lines']) {
  const publisher = await openSignallingPublisher({ servers, partitions: PARTITIONS, batchEvents: 200 });
  for (const line of lines) await publisher.add(line.text, line.msisdn);
  return publisher.close();
}

/** Publishes in slices with pauses, so that workers run while events still come in. */
async function publishPaced(lines: EventFixture['lines'], progress: { sent: number }) {
  const publisher = await openSignallingPublisher({ servers, partitions: PARTITIONS, batchEvents: 200 });
  for (let from = 0; from < lines.length; from += 2000) {
    for (const line of lines.slice(from, from + 2000)) await publisher.add(line.text, line.msisdn);
    progress.sent = Math.min(lines.length, from + 2000);
    await sleep(400);
  }
  return publisher.close();
}

function merged(runs: Omit<RunResult, 'duplicates'>[]) {
  return {
    decisionIds: runs.flatMap((r) => r.decisionIds).sort(),
    messages: runs.reduce((n, r) => n + r.messages, 0),
    events: runs.reduce((n, r) => n + r.events, 0),
    decisions: runs.reduce((n, r) => n + r.decisions, 0),
  };
}

function expectedTotals() {
  return {
    decisionIds: reference.decisionIds,
    messages: reference.messages,
    events: reference.events,
    decisions: reference.decisions,
  };
}

/**
 * Waits until every consumer of the prefix has acknowledged its whole partition. A starved machine may
 * be slow, so it gives up only when nothing moved for `stallMs`; the error then says where each
 * partition stands and what the workers last wrote.
 */
async function waitForAllAcknowledged(
  prefix: string,
  stallMs: number,
  workers: { children: ChildProcess[]; stderr: string[] },
): Promise<void> {
  const workerNotes = () => workers.stderr.map((e, i) => `worker ${i}: ${e.slice(-1500)}`).join('\n---\n');
  const connection = await connect({ servers });
  try {
    const manager = await jetstreamManager(connection);
    let lastState = '';
    let movedAt = Date.now();
    for (;;) {
      const infos = await Promise.all(
        Array.from({ length: PARTITIONS }, (_, p) =>
          manager.consumers.info('SIG', `${prefix}-${p}`).catch(() => undefined),
        ),
      );
      if (infos.every((i) => i !== undefined && i.num_pending === 0 && i.num_ack_pending === 0)) return;
      const ended = workers.children.findIndex((c) => c.exitCode !== null || c.signalCode !== null);
      if (ended >= 0)
        throw new Error(
          `worker ${ended} ended (${workers.children[ended]!.exitCode ?? workers.children[ended]!.signalCode}) before its partitions were acknowledged\n${workerNotes()}`,
        );
      const state = infos
        .map((i, p) =>
          i
            ? `${p}: ${i.num_pending} undelivered, ${i.num_ack_pending} unacknowledged, floor ${i.ack_floor.stream_seq}, redelivered ${i.num_redelivered}`
            : `${p}: no consumer`,
        )
        .join('; ');
      if (state !== lastState) {
        lastState = state;
        movedAt = Date.now();
      }
      if (Date.now() - movedAt > stallMs)
        throw new Error(
          `consumers ${prefix}-* stopped moving for ${stallMs / 1000} s: ${state}\nworkers:\n${workerNotes()}`,
        );
      await sleep(200);
    }
  } finally {
    await connection.close();
  }
}

/** The events and decisions counters of a snapshot file (its JSON header). */
function snapshotCounters(path: string): { events: number; decisions: number } {
  const data = readFileSync(path);
  const length = data.readUInt32LE(8);
  return JSON.parse(data.toString('utf8', 12, 12 + length)).counters;
}

function workerProcess(index: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      'bin/telmark.js',
      '--db',
      join(dir, `kill-${index}.duckdb`),
      'stream',
      '--nats',
      servers.join(','),
      '--partitions',
      String(PARTITIONS),
      '--worker',
      `${index}/2`,
      '--snapshot',
      join(dir, `kill-${index}.snap`),
      '--snapshot-every',
      '0.3',
      '--ack-wait',
      '5',
      '--cells',
      files.cellsFile,
      '--rules',
      files.rulesFile,
      '--max-skew',
      'off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the signalling stream on a NATS JetStream cluster', { skip }, () => {
  before(async () => {
    ({ servers } = await startNatsNodes(join(dir, 'nats'), 3));
    files = writeStreamFiles(dir);
    fixture = writeEvents(dir, { subscribers: 3000, days: 2, perDay: 8, seed: 18 });
    reference = await runSingleProcess(dir, files, fixture.file);
  });
  after(async () => {
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same triggers with one worker and with two as one process reading the events', async () => {
    assert.equal(reference.events, fixture.lines.length);
    assert.ok(reference.decisionIds.length > 500, `the fixture makes triggers (${reference.decisionIds.length})`);
    await freshStream();
    const published = await publishAll(fixture.lines);
    assert.equal(published.events, fixture.lines.length);
    assert.ok(published.messages >= PARTITIONS);

    const one = await runWorker(
      {
        worker: { index: 0, count: 1 },
        db: join(dir, 'one.duckdb'),
        snapshot: join(dir, 'one.snap'),
        durablePrefix: 'one',
      },
      { servers, files, fixture },
    );
    assert.deepEqual(merged([one]), expectedTotals());
    const two = await Promise.all(
      [0, 1].map((index) =>
        runWorker(
          {
            worker: { index, count: 2 },
            db: join(dir, `two-${index}.duckdb`),
            snapshot: join(dir, `two-${index}.snap`),
            durablePrefix: 'two',
          },
          { servers, files, fixture },
        ),
      ),
    );
    assert.ok(
      two.every((r) => r.decisionIds.length > 0),
      'both workers make triggers',
    );
    assert.deepEqual(merged(two), expectedTotals());
  });

  it('loses and doubles nothing when a worker is killed with kill -9 mid-stream and replaced', {
    timeout: 300_000,
  }, async (t) => {
    await freshStream();
    const progress = { sent: 0 };
    const workers = [workerProcess(0), workerProcess(1)];
    const stderr = ['', ''];
    for (const [i, w] of workers.entries())
      w.stderr?.on('data', (d) => {
        stderr[i] += d;
      });
    let publishing: ReturnType<typeof publishPaced> | undefined;
    try {
      // Publishing starts once both workers run (their first, empty snapshots are written).
      const started = Date.now();
      while (![0, 1].every((i) => existsSync(join(dir, `kill-${i}.snap`)))) {
        assert.ok(Date.now() - started < 60_000 && workers.every((w) => w.exitCode === null), stderr.join('\n'));
        await sleep(50);
      }
      publishing = publishPaced(fixture.lines, progress);
      // Once worker 0 has snapshotted (and so acknowledged) some of its events, kill it outright.
      while (snapshotCounters(join(dir, 'kill-0.snap')).events < 3000) await sleep(50);
      await sleep(300);
      workers[0]!.kill('SIGKILL');
      await exitOf(workers[0]!);
      const sentAtKill = progress.sent;
      assert.ok(sentAtKill < fixture.lines.length, `killed mid-stream (${sentAtKill} of ${fixture.lines.length} sent)`);
      t.diagnostic(
        `worker 0 killed with ${snapshotCounters(join(dir, 'kill-0.snap')).events} events snapshotted, ${sentAtKill} of ${fixture.lines.length} published`,
      );
      workers[0] = workerProcess(0);
      workers[0].stderr?.on('data', (d) => (stderr[0] += d));
      const published = await publishing;
      assert.equal(published.events, fixture.lines.length);
      await waitForAllAcknowledged('telmark-sig', 60_000, { children: workers, stderr });
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await publishing?.catch(() => undefined);
    }
    assert.deepEqual(await Promise.all(workers.map(exitOf)), [0, 0], stderr.join('\n'));
    const runs = [];
    for (const index of [0, 1]) {
      const warehouse = await Warehouse.open(join(dir, `kill-${index}.duckdb`));
      try {
        runs.push({ ...(await decisionsOf(warehouse)), ...snapshotCounters(join(dir, `kill-${index}.snap`)) });
      } finally {
        warehouse.close();
      }
    }
    assert.deepEqual(merged(runs), expectedTotals());
  });

  it('loses no acknowledged event and doubles no trigger when a NATS node is killed with kill -9 mid-stream', {
    timeout: 180_000,
  }, async (t) => {
    await freshStream();
    const progress = { sent: 0 };
    const publishing = publishPaced(fixture.lines, progress);
    const workers = [0, 1].map((index) =>
      runWorker(
        {
          worker: { index, count: 2 },
          db: join(dir, `node-${index}.duckdb`),
          snapshot: join(dir, `node-${index}.snap`),
          durablePrefix: 'node',
        },
        { servers, files, fixture },
      ),
    );
    while (progress.sent < fixture.lines.length / 3) await sleep(20);
    // The node leading the most of the stream and its partitions' consumers: its loss makes the
    // cluster elect again for them while events are published and read.
    const connection = await connect({ servers });
    const manager = await jetstreamManager(connection);
    const leaders = [(await manager.streams.info('SIG')).cluster?.leader];
    for (let p = 0; p < PARTITIONS; p++)
      leaders.push((await manager.consumers.info('SIG', `node-${p}`).catch(() => undefined))?.cluster?.leader);
    await connection.close();
    const led = (name: string) => leaders.filter((l) => l === name).length;
    const victim = readNatsNodes(join(dir, 'nats')).sort((a, b) => led(b.name) - led(a.name))[0];
    assert.ok(victim && led(victim.name) > 0, `the stream has leaders (${leaders.join(',')})`);
    process.kill(victim.pid, 'SIGKILL');
    while (isAlive(victim.pid)) await sleep(20);
    assert.ok(progress.sent < fixture.lines.length, 'killed mid-stream');
    const published = await publishing;
    assert.equal(published.events, fixture.lines.length, 'every event acknowledged by the stream');
    t.diagnostic(
      `killed ${victim.name} (leader of ${led(victim.name)} of the stream and its ${PARTITIONS} consumers); publishes retried ${published.retries}, stored twice ${published.duplicates}`,
    );
    const runs = await Promise.all(workers);
    t.diagnostic(
      `workers: duplicates skipped ${runs.map((r) => r.duplicates).join('+')}, consumers re-created ${runs.map((r) => r.resets).join('+')}`,
    );
    assert.deepEqual(merged(runs), expectedTotals());
  });
});

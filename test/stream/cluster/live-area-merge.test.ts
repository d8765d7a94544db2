// The live area counts of a stream split over two workers: each reports its own subscribers' counts on
// NATS, the page's GET /api/stream/areas answers their sum, which equals one process counting every
// event; a worker that stops reporting goes stale and its counts leave the sum, visibly.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildServer } from '../../../src/api/server.ts';
import { startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { fixedClock, systemClock } from '../../../src/shared/clock.ts';
import type { CellRow } from '../../../src/stream/engine/area-view.ts';
import { type LiveAreas, readLocalLiveAreas } from '../../../src/stream/live-areas.ts';
import { setLiveAreaBoard } from '../../../src/stream/live-stream.ts';
import type { MergedLiveAreas } from '../../../src/stream/live/area-report.ts';
import { LiveAreaBoard } from '../../../src/stream/live/live-area-board.ts';
import { partitionOf, type WorkerSlot, workerPartitions } from '../../../src/stream/partitions/partition-of.ts';
import { openSignallingPublisher } from '../../../src/stream/partitions/signalling-publisher.ts';
import { openStreamSession, type StreamSession } from '../../../src/stream/stream-session.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { bearerFor, testAccess } from '../../access/test-access.ts';
import { PARTITIONS, writeEvents, writeStreamFiles } from './cluster-fixtures.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-live-merge-'));
// Long enough that a worker's report is never late on a loaded machine while it runs.
const REPORT_MS = 1000;
const clock = () => fixedClock('2026-03-10T00:00:00Z');

interface Worker {
  warehouse: Warehouse;
  session: StreamSession;
  done: Promise<unknown>;
  expected: number;
}

/** What the page compares: the area rows, and the cells with someone present or calling, by cell. */
function counted(view: LiveAreas) {
  const cells = (view.cells as CellRow[])
    .filter((c) => c.present > 0 || Object.values(c.callers).some((n) => n > 0))
    .sort((a, b) => a.cellId.localeCompare(b.cellId));
  return { watermark: view.watermark, windowSec: view.windowSec, areas: view.areas, cells };
}

describe('live area counts merged across workers', { skip }, () => {
  let servers: string[] = [];
  let files: { cellsFile: string; rulesFile: string };
  let lines: { text: string; msisdn: string }[] = [];
  let eventsFile = '';
  let reference: LiveAreas;
  let board: LiveAreaBoard;
  const warehouses: Warehouse[] = [];

  before(async () => {
    ({ servers } = await startNatsNodes(join(dir, 'nats'), 1));
    files = writeStreamFiles(dir);
    const fixture = writeEvents(dir, { subscribers: 1500, days: 1, perDay: 8, seed: 31 });
    // One last event per partition at the same moment, so that every worker's stream time ends where
    // the single process's does ("present" and "called in the last 30 minutes" are counted back from it).
    const ticks = Array.from({ length: PARTITIONS }, (_, p) => {
      const msisdn = fixture.lines.find((l) => partitionOf(l.msisdn, PARTITIONS) === p)!.msisdn;
      const text = JSON.stringify({
        ts: '2026-03-01 21:30:00',
        msisdn,
        event: 'location_update',
        cell_id: '9310-101',
        peer: '',
        duration_s: 0,
      });
      return { text, msisdn };
    });
    lines = [...fixture.lines, ...ticks];
    eventsFile = join(dir, 'events-with-ticks.jsonl');
    writeFileSync(eventsFile, `${lines.map((l) => l.text).join('\n')}\n`);
    const single = await Warehouse.open(join(dir, 'single.duckdb'));
    warehouses.push(single);
    const session = await openStreamSession({
      source: eventsFile,
      clock: clock(),
      maxSkewSec: 0,
      warehouse: single,
      ...files,
      liveAnomalies: false,
    });
    await session.run();
    reference = await readLocalLiveAreas(single, session, { windowSec: 1800 });
    const publisher = await openSignallingPublisher({ servers, partitions: PARTITIONS, replicas: 1, batchEvents: 200 });
    for (const line of lines) await publisher.add(line.text, line.msisdn);
    assert.equal((await publisher.close()).events, lines.length);
    board = await LiveAreaBoard.open({ servers, clock: systemClock });
  });
  after(async () => {
    setLiveAreaBoard(undefined);
    await board?.close();
    for (const w of warehouses) w.close();
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  async function startWorker(worker: WorkerSlot): Promise<Worker> {
    const warehouse = await Warehouse.open(join(dir, `worker-${worker.index}.duckdb`));
    warehouses.push(warehouse);
    const session = await openStreamSession({
      source: {
        partitioned: { servers, partitions: PARTITIONS, worker, replicas: 1, durablePrefix: 'merge', ackWaitMs: 5000 },
      },
      clock: clock(),
      maxSkewSec: 0,
      warehouse,
      ...files,
      snapshotPath: join(dir, `worker-${worker.index}.snap`),
      snapshotEveryMs: 300,
      liveAnomalies: false,
      areaReports: { intervalMs: REPORT_MS },
    });
    const expected = lines.filter((l) =>
      workerPartitions(worker, PARTITIONS).includes(partitionOf(l.msisdn, PARTITIONS)),
    ).length;
    return { warehouse, session, done: session.run(), expected };
  }

  async function getAreas(app: Awaited<ReturnType<typeof buildServer>>): Promise<MergedLiveAreas> {
    const response = await app.inject({ method: 'GET', url: '/api/stream/areas?window=1800' });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as MergedLiveAreas;
  }

  it('shows the sum over two workers, equal to one process, and ages a stopped worker out', {
    timeout: 120_000,
  }, async () => {
    assert.ok(
      reference.areas.some((a) => a.present > 0 && a.triggered > 0),
      'the reference counts something',
    );
    const workers = [await startWorker({ index: 0, count: 2 }), await startWorker({ index: 1, count: 2 })];
    const app = await buildServer({ warehouse: workers[0]!.warehouse, access: testAccess, webRoot: null });
    setLiveAreaBoard(board);
    try {
      // Both workers have processed their share, and a report sent after that has arrived. Checked on
      // the route's own answer, the one asserted on below: on a loaded machine a report late past 3
      // intervals makes a healthy worker briefly stale, so a second read could differ from this one.
      const deadline = Date.now() + 90_000;
      let both: MergedLiveAreas;
      for (;;) {
        both = await getAreas(app);
        const done = workers.every((w) => w.session.engine.counters.events >= w.expected);
        if (done && both.workers.reduce((n, w) => n + w.events, 0) === lines.length && both.complete) break;
        assert.ok(Date.now() < deadline, `workers did not report everything: ${JSON.stringify(both.workers)}`);
        await sleep(100);
      }
      assert.deepEqual(
        both.workers.map((w) => [w.worker, w.stale]),
        [
          ['0/2', false],
          ['1/2', false],
        ],
      );
      assert.ok(
        both.workers.every((w) => w.subscribers > 0 && w.subscribers < 1500),
        'each worker counts only its own share',
      );
      assert.deepEqual(counted(both), counted(reference));

      // Worker 1 stops: its last report stays in the sum only until it is 3 intervals old.
      await workers[1]!.session.stop();
      await workers[1]!.done;
      const own = counted(await readLocalLiveAreas(workers[0]!.warehouse, workers[0]!.session, { windowSec: 1800 }));
      const staleBy = Date.now() + 30_000;
      let after: MergedLiveAreas;
      for (;;) {
        after = await getAreas(app);
        // Worker 1 stale and worker 0 not: the state that must come and stay (a late report can make
        // worker 0 briefly stale too, which is not it).
        const stale = (name: string) => after.workers.find((w) => w.worker === name)?.stale;
        if (stale('1/2') && stale('0/2') === false) break;
        assert.ok(Date.now() < staleBy, `worker 1 never went stale alone: ${JSON.stringify(after.workers)}`);
        await sleep(REPORT_MS);
      }
      assert.equal(after.complete, false);
      assert.match(after.partial?.en ?? '', /^1 worker did not report in time; its counts/);
      assert.ok(after.partial?.zh, 'the partial note is bilingual');
      assert.equal(after.workers.find((w) => w.worker === '0/2')?.stale, false);
      const age = after.workers.find((w) => w.worker === '1/2')?.ageSec ?? 0;
      assert.ok(age >= (3 * REPORT_MS) / 1000, `worker 1's report is ${age} s old`);
      // The sum is now worker 0's own counts: worker 1's subscribers have left it.
      assert.deepEqual(counted(after).areas, own.areas);
      const present = (v: LiveAreas) => v.areas.reduce((n, a) => n + a.present, 0);
      assert.ok(present(after) < present(both), 'the stopped worker’s subscribers are no longer counted');
    } finally {
      setLiveAreaBoard(undefined);
      await app.close();
      for (const w of workers) {
        await w.session.stop();
        await w.done;
      }
    }
  });

  it('worker processes: the one started with --serve answers the sum over both', { timeout: 180_000 }, async () => {
    const db = (i: number) => join(dir, `process-${i}.duckdb`);
    const file = await Warehouse.open(db(0));
    const auth = await bearerFor(file, 'viewer', ['analyst']).finally(() => file.close());
    const stderr = ['', ''];
    const workers: ChildProcess[] = [0, 1].map((index) => {
      const child = spawn(
        process.execPath,
        [
          'bin/telmark.js',
          '--db',
          db(index),
          'stream',
          '--nats',
          servers.join(','),
          '--partitions',
          String(PARTITIONS),
          '--worker',
          `${index}/2`,
          '--replicas',
          '1',
          '--snapshot',
          join(dir, `process-${index}.snap`),
          '--snapshot-every',
          '0.5',
          '--ack-wait',
          '5',
          '--cells',
          files.cellsFile,
          '--rules',
          files.rulesFile,
          '--max-skew',
          'off',
          '--area-reports',
          '1',
          ...(index === 0 ? ['--serve', '0'] : []),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (d) => {
        stderr[index] += d;
      });
      return child;
    });
    try {
      const deadline = Date.now() + 150_000;
      let answer: MergedLiveAreas | undefined;
      for (;;) {
        assert.ok(Date.now() < deadline, `no complete sum in time: ${stderr.join('\n')}`);
        assert.ok(
          workers.every((w) => w.exitCode === null),
          stderr.join('\n'),
        );
        const url = /serving (http:\/\/\S+)/.exec(stderr[0]!)?.[1];
        if (url) {
          const response = await fetch(`${url}/api/stream/areas?window=1800`, { headers: auth });
          assert.equal(response.status, 200, await response.clone().text());
          answer = (await response.json()) as MergedLiveAreas;
          const events = answer.workers?.reduce((n, w) => n + w.events, 0);
          if (answer.complete && events === lines.length) break;
        }
        await sleep(500);
      }
      assert.deepEqual(
        answer.workers.map((w) => w.worker),
        ['0/2', '1/2'],
      );
      assert.deepEqual(counted(answer), counted(reference));
    } finally {
      for (const w of workers) w.kill('SIGTERM');
    }
    const exits = await Promise.all(
      workers.map((w) =>
        w.exitCode !== null ? w.exitCode : new Promise<number | null>((done) => w.once('exit', (code) => done(code))),
      ),
    );
    assert.deepEqual(exits, [0, 0], stderr.join('\n'));
  });
});

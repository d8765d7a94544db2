// Builders for the partitioned-stream tests: a seeded day of station traffic for a few thousand
// subscribers, the cells and rules files a stream needs, a single-process run of the same events as the
// reference, and in-process workers that stop once their partitions' events are all processed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../../../src/shared/clock.ts';
import { mix32 } from '../../../src/shared/seeded-random.ts';
import type { TriggerEngine } from '../../../src/stream/engine/trigger-engine.ts';
import { partitionOf, type WorkerSlot, workerPartitions } from '../../../src/stream/partitions/partition-of.ts';
import { openStreamSession } from '../../../src/stream/stream-session.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';

export const PARTITIONS = 8;
const CELLS = ['9310-101', '9310-102', '9310-201', '9320-301'];
const PEERS = ['114', '114', '114', '12580', '10086', '', '', '', '', ''];

export interface EventFixture {
  file: string;
  lines: { text: string; msisdn: string }[];
  /** Events per partition. */
  perPartition: number[];
}

/** `subscribers` × `perDay` events a day over `days` days, in time order, the same bytes for a seed. */
export function writeEvents(dir: string, options: { subscribers: number; days: number; perDay: number; seed: number }) {
  let state = mix32(options.seed);
  const next = (n: number) => {
    state = mix32(state + 0x9e3779b9);
    return state % n;
  };
  const lines: { text: string; msisdn: string; key: number }[] = [];
  for (let day = 1; day <= options.days; day++)
    for (let s = 0; s < options.subscribers; s++) {
      const msisdn = `138${String(s).padStart(8, '0')}`;
      for (let k = 0; k < options.perDay; k++) {
        const second = 8 * 3600 + next(13 * 3600);
        const peer = PEERS[next(PEERS.length)]!;
        const time = `${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`;
        const text = JSON.stringify({
          ts: `2026-03-0${day} ${time}`,
          msisdn,
          event: peer ? 'call_out' : 'location_update',
          cell_id: CELLS[next(CELLS.length)],
          peer,
          duration_s: peer ? 20 : 0,
        });
        lines.push({ text, msisdn, key: day * 100_000 + second });
      }
    }
  // A subscriber's events in time order (a stable sort keeps their order at equal times).
  lines.sort((a, b) => a.key - b.key);
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, `${lines.map((l) => l.text).join('\n')}\n`);
  const perPartition = new Array<number>(PARTITIONS).fill(0);
  for (const line of lines) perPartition[partitionOf(line.msisdn, PARTITIONS)]!++;
  return { file, lines, perPartition } satisfies EventFixture;
}

export function writeStreamFiles(dir: string): { cellsFile: string; rulesFile: string } {
  const rows = heyuanCells().cells.map((c) =>
    [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
  );
  const cellsFile = join(dir, 'cells.csv');
  const rulesFile = join(dir, 'rules.yaml');
  writeFileSync(cellsFile, `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
  writeFileSync(rulesFile, stationRules);
  return { cellsFile, rulesFile };
}

export interface RunResult {
  decisionIds: string[];
  /** Messages the triggers queued in the one outbox. */
  messages: number;
  events: number;
  decisions: number;
  duplicates: number;
  /** Times a partition's consumer was re-created mid-run (a delivery lost or repeated). */
  resets?: number;
}

const clock = () => fixedClock('2026-03-10T00:00:00Z');

/** The reference: one process reads the events file. */
export async function runSingleProcess(dir: string, files: { cellsFile: string; rulesFile: string }, file: string) {
  const warehouse = await Warehouse.open(join(dir, 'single.duckdb'));
  try {
    const session = await openStreamSession({
      source: file,
      clock: clock(),
      maxSkewSec: 0,
      warehouse,
      ...files,
      liveAnomalies: false,
    });
    const summary = await session.run();
    await session.stop();
    return { ...(await decisionsOf(warehouse)), events: summary.events, decisions: summary.decisions, duplicates: 0 };
  } finally {
    warehouse.close();
  }
}

export interface WorkerRun {
  worker: WorkerSlot;
  db: string;
  snapshot: string;
  durablePrefix: string;
}

/** An in-process worker that stops once it has processed every event of its partitions. */
export async function runWorker(
  run: WorkerRun,
  context: { servers: string[]; files: { cellsFile: string; rulesFile: string }; fixture: EventFixture },
): Promise<RunResult> {
  const expected = workerPartitions(run.worker, PARTITIONS).reduce((n, p) => n + context.fixture.perPartition[p]!, 0);
  const warehouse = await Warehouse.open(run.db);
  try {
    let stopping = false;
    let resets = 0;
    const session = await openStreamSession({
      source: {
        partitioned: {
          servers: context.servers,
          partitions: PARTITIONS,
          worker: run.worker,
          replicas: 3,
          durablePrefix: run.durablePrefix,
          ackWaitMs: 5000,
        },
      },
      clock: clock(),
      maxSkewSec: 0,
      warehouse,
      ...context.files,
      snapshotPath: run.snapshot,
      snapshotEveryMs: 300,
      liveAnomalies: false,
      note: (text) => {
        if (text.includes('reading again')) resets++;
      },
      onBatch: (engine: TriggerEngine) => {
        if (!stopping && engine.counters.events + engine.counters.rejected >= expected) {
          stopping = true;
          void session.stop();
        }
      },
    });
    const summary = await session.run();
    await session.stop();
    return {
      ...(await decisionsOf(warehouse)),
      events: session.engine.counters.events,
      decisions: session.engine.counters.decisions,
      duplicates: summary.duplicates,
      resets,
    };
  } finally {
    warehouse.close();
  }
}

export async function decisionsOf(warehouse: Warehouse): Promise<{ decisionIds: string[]; messages: number }> {
  const rows = await warehouse.all<{ decision_id: string }>('SELECT decision_id FROM stream_outbox ORDER BY 1');
  const messages = Number(await warehouse.scalar("SELECT count(*) FROM channel_outbox WHERE source = 'trigger'"));
  return { decisionIds: rows.map((r) => r.decision_id), messages };
}

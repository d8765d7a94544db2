// One stream worker of the cluster benchmark, in its own process (its own JS thread, as in production):
// the bench's cells and rules, no warehouse, the partitioned source, and a snapshot (acks follow it).
// Prints one JSON line: events processed and the wall times of its first and last event.
// node --import tsx bench/support/stream-cluster-worker.ts SERVERS PARTITIONS i/N EXPECTED SNAPSHOT
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../src/shared/clock.ts';
import { createEventGate } from '../../src/stream/engine/event-gate.ts';
import { runStream } from '../../src/stream/engine/run-stream.ts';
import { TriggerEngine } from '../../src/stream/engine/trigger-engine.ts';
import { parseWorkerSlot } from '../../src/stream/partitions/partition-of.ts';
import { partitionedNatsSource } from '../../src/stream/partitions/partitioned-source.ts';
import { applyRuleFile } from '../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../src/stream/rules/parse-rules.ts';
import { benchCells, benchRules } from '../stream.ts';

const [servers, partitions, worker, expected, snapshot] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const clock: Clock = { now: () => new Date(), nowMs: () => Date.now() };
const cells = benchCells(2000);
let decisions = 0;
const engine = new TriggerEngine({ cells, clock, expectedSubscribers: 200_000, onDecision: () => decisions++ });
applyRuleFile(engine, parseRuleText(benchRules(), 'bench.yaml'));
const source = partitionedNatsSource({
  servers: servers.split(','),
  partitions: Number(partitions),
  worker: parseWorkerSlot(worker),
  clock,
});
let firstMs = 0;
let lastMs = 0;
await runStream({
  engine,
  source,
  clock,
  gate: createEventGate({ cells, clock, maxSkewSec: 0 }),
  snapshotPath: snapshot,
  snapshotEveryMs: 2000,
  onBatch: () => {
    const done = engine.counters.events + engine.counters.rejected;
    if (done > 0 && firstMs === 0) firstMs = performance.timeOrigin + performance.now();
    if (done >= Number(expected) && lastMs === 0) {
      lastMs = performance.timeOrigin + performance.now();
      void source.close();
    }
  },
});
console.log(
  JSON.stringify({ events: engine.counters.events, rejected: engine.counters.rejected, decisions, firstMs, lastMs }),
);

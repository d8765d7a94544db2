// The stream loop: read batches from a source, give every line an outcome (event, rejected with a
// reason, skipped), let the engine decide, and keep the outbox and the snapshot in step. A checkpoint
// runs in the order flush → snapshot → commit: decisions reach the outbox before a snapshot says their
// events are done (a crash after the snapshot loses no trigger), and a durable source acknowledges only
// what a snapshot covers (a crash before it makes the source send again what the engine then skips).
// test/stream/engine/crash-order.test.ts holds this order.
import { defaultConfig } from '../../config/config.ts';
import type { Clock } from '../../shared/clock.ts';
import { createEventLineParser, type EventLineParser } from '../events/parse-event-line.ts';
import { type RejectionCode, rejectionCodes } from '../events/signalling-event.ts';
import type { StreamSource } from '../sources/stream-source.ts';
import { writeSnapshot } from '../state/engine-snapshot.ts';
import { createEventGate, type EventGate } from './event-gate.ts';
import type { TriggerEngine } from './trigger-engine.ts';

export interface DecisionSink {
  flush(): Promise<void>;
}

export interface RunStreamOptions {
  engine: TriggerEngine;
  source: StreamSource;
  clock: Clock;
  outbox?: DecisionSink;
  snapshotPath?: string;
  snapshotEveryMs?: number;
  flushEveryMs?: number;
  parser?: EventLineParser;
  /**
   * Turns away events far from the stream's clock or in unknown cells. Default: the engine's cells,
   * `clock` as the stream's clock, and the configuration's default skew and UTC offset.
   */
  gate?: EventGate;
  /** Called after every batch, e.g. to print progress. */
  onBatch?: () => void;
  /** Stops after this many lines (tests, benchmarks). */
  maxLines?: number;
}

export interface RunStreamSummary {
  lines: number;
  events: number;
  rejected: number;
  /** Rejections by reason code. */
  rejectedBy: Record<RejectionCode, number>;
  duplicates: number;
  decisions: number;
  /** Reasons for rejected lines with counts (first 20 distinct reasons). */
  rejections: Record<string, number>;
}

export async function runStream(options: RunStreamOptions): Promise<RunStreamSummary> {
  const { engine, source, clock } = options;
  const parser = options.parser ?? createEventLineParser({ reuse: true });
  const gate =
    options.gate ?? createEventGate({ cells: engine.cells, clock, maxSkewSec: defaultConfig.stream.maxSkewSec });
  const rejections: Record<string, number> = {};
  const startRejectedBy = { ...engine.counters.rejectedBy };
  let lines = 0;
  let lastFlush = clock.nowMs();
  let lastSnapshot = clock.nowMs();
  const startEvents = engine.counters.events;
  const startRejected = engine.counters.rejected;
  const startDuplicates = engine.counters.duplicates;
  const startDecisions = engine.counters.decisions;

  const reject = (position: number, code: RejectionCode, text: string) => {
    // A line the engine already holds (a source sending again after a restart) was counted the first time.
    if (position >= 0 && position <= engine.position) return;
    engine.reject(position, code);
    const reason = text.replace(/"[^"]*"/g, '"…"');
    if (rejections[reason] !== undefined || Object.keys(rejections).length < 20)
      rejections[reason] = (rejections[reason] ?? 0) + 1;
  };

  const checkpoint = async () => {
    await options.outbox?.flush();
    if (options.snapshotPath) {
      writeSnapshot(engine, options.snapshotPath);
      if (engine.position >= 0 || engine.lanes.size > 0) await source.commit?.(engine.position, engine.lanes);
    }
  };

  // Idle ticks (empty batches) let a quiet stream still flush its decisions and snapshot.
  const batches = withIdleTicks(source.batches(engine.position, engine.lanes), options.flushEveryMs ?? 1000);
  outer: for await (const batch of batches) {
    for (const line of batch) {
      lines++;
      // A lane's line is claimed here (the lane's position moves); the engine then needs no position.
      if (line.lane !== undefined && !engine.enterLane(line.lane, line.position)) continue;
      const position = line.lane === undefined ? line.position : -1;
      const outcome = parser.parse(line.text);
      if (outcome.kind === 'event') {
        const turnedAway = position >= 0 && position <= engine.position ? undefined : gate.check(outcome.event);
        if (turnedAway) reject(position, turnedAway.code, turnedAway.reason);
        else engine.process(outcome.event, position, line.arrivedAtMs);
      } else if (outcome.kind === 'reject') reject(position, outcome.code, outcome.reason);
      else engine.advance(position);
      if (options.maxLines !== undefined && lines >= options.maxLines) break outer;
    }
    const now = clock.nowMs();
    if (options.snapshotPath && now - lastSnapshot >= (options.snapshotEveryMs ?? 5000)) {
      await checkpoint();
      lastSnapshot = now;
      lastFlush = now;
    } else if (now - lastFlush >= (options.flushEveryMs ?? 1000)) {
      await options.outbox?.flush();
      lastFlush = now;
    }
    options.onBatch?.();
  }
  await checkpoint();
  return {
    lines,
    events: engine.counters.events - startEvents,
    rejected: engine.counters.rejected - startRejected,
    rejectedBy: Object.fromEntries(
      rejectionCodes.map((code) => [code, engine.counters.rejectedBy[code] - startRejectedBy[code]]),
    ) as Record<RejectionCode, number>,
    duplicates: engine.counters.duplicates - startDuplicates,
    decisions: engine.counters.decisions - startDecisions,
    rejections,
  };
}

/** Passes batches through, and yields an empty batch whenever none came for `everyMs`. */
export async function* withIdleTicks<T>(batches: AsyncIterable<T[]>, everyMs: number): AsyncGenerator<T[]> {
  const iterator = batches[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T[]>> | undefined;
  try {
    for (;;) {
      pending ??= iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<'tick'>((resolve) => {
        timer = setTimeout(() => resolve('tick'), everyMs);
      });
      const result = await Promise.race([pending, tick]);
      clearTimeout(timer);
      if (result === 'tick') {
        yield [];
        continue;
      }
      pending = undefined;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // With a read still outstanding the source ends once closed; do not wait for it here.
    if (pending) void iterator.return?.();
    else await iterator.return?.();
  }
}

// Sources of several ordered lanes (the partitions of the NATS stream): positions per lane, kept in the
// snapshot, so a batch delivered again (a redelivery, a restart) triggers nothing twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Decision } from '../../../src/stream/engine/decision.ts';
import { runStream } from '../../../src/stream/engine/run-stream.ts';
import { TriggerEngine } from '../../../src/stream/engine/trigger-engine.ts';
import { applyRuleFile } from '../../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';
import type { SourceLine, StreamSource } from '../../../src/stream/sources/stream-source.ts';
import { readSnapshot } from '../../../src/stream/state/engine-snapshot.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';

const clock = fixedClock('2026-03-01T04:00:00Z');

function engineWith(decisions: Decision[]): TriggerEngine {
  const engine = new TriggerEngine({ cells: heyuanCells(), clock, onDecision: (d) => decisions.push(d) });
  applyRuleFile(engine, parseRuleText(stationRules, 'rules.yaml'));
  return engine;
}

function line(lane: number, position: number, ts: string, msisdn: string): SourceLine {
  const text = JSON.stringify({ ts: `2026-03-01 ${ts}`, msisdn, event: 'call_out', cell_id: '9310-101', peer: '114' });
  return { text, position, arrivedAtMs: 0, lane };
}

/** Yields the batches as given, and records what it is asked to resume from and to commit. */
function laneSource(batches: SourceLine[][]) {
  const seen: { from?: Map<number, number>; commits: Map<number, number>[] } = { commits: [] };
  const source: StreamSource = {
    description: 'lanes',
    async *batches(_from, lanes) {
      seen.from = new Map(lanes);
      for (const batch of batches) yield batch;
    },
    async commit(_position, lanes) {
      seen.commits.push(new Map(lanes));
    },
    async close() {},
  };
  return { source, seen };
}

test('lines of interleaved lanes are each taken once, whatever order the lanes arrive in', async () => {
  const decisions: Decision[] = [];
  const engine = engineWith(decisions);
  const first = [line(0, 10, '10:00:00', '13800000001'), line(1, 5, '10:00:01', '13800000002')];
  // Lane 1 behind lane 0's positions is still new; lane 0's batch delivered again is not.
  const again = [line(0, 10, '10:00:00', '13800000001'), line(1, 7, '10:00:02', '13800000003')];
  const { source, seen } = laneSource([first, again]);
  const dir = mkdtempSync(join(tmpdir(), 'telmark-lanes-'));
  try {
    const summary = await runStream({ engine, source, clock, snapshotPath: join(dir, 'state.snap') });
    assert.equal(summary.events, 3);
    assert.equal(summary.duplicates, 1);
    assert.deepEqual(
      decisions.map((d) => d.msisdn),
      ['13800000001', '13800000002', '13800000003'],
    );
    assert.deepEqual(
      [...seen.commits.at(-1)!],
      [
        [0, 10],
        [1, 7],
      ],
    );

    // A restart from the snapshot resumes each lane after its own position and skips what it holds.
    const restartedDecisions: Decision[] = [];
    const restarted = engineWith(restartedDecisions);
    readSnapshot(restarted, join(dir, 'state.snap'));
    const resumed = laneSource([[line(1, 7, '10:00:02', '13800000003'), line(1, 9, '10:00:03', '13800000004')]]);
    const after = await runStream({ engine: restarted, source: resumed.source, clock });
    assert.deepEqual(
      [...resumed.seen.from!],
      [
        [0, 10],
        [1, 7],
      ],
    );
    assert.equal(after.events, 1);
    assert.equal(after.duplicates, 1);
    assert.deepEqual(
      restartedDecisions.map((d) => d.msisdn),
      ['13800000004'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

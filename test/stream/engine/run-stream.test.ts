import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { systemClock } from '../../../src/shared/clock.ts';
import { runStream } from '../../../src/stream/engine/run-stream.ts';
import { formatEventTime, localWallTime } from '../../../src/stream/events/event-time.ts';
import { fileSource } from '../../../src/stream/sources/file-source.ts';
import { harness, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the stream loop', () => {
  it('flushes decisions and snapshots while a followed file is idle, and stops when the source closes', async () => {
    const h = harness(stationRules);
    const path = join(dir, 'live.jsonl');
    writeFileSync(
      path,
      // A live stream checks event times against its clock (the system clock here): an event of now.
      `${JSON.stringify({ ts: formatEventTime(Math.floor(localWallTime(systemClock.nowMs()) / 1000) * 1000), msisdn: '13800000001', event: 'call_out', cell_id: '9310-101', peer: '114', duration_s: 9 })}\n`,
    );
    const flushed: number[] = [];
    const source = fileSource({ path, follow: true, clock: systemClock, pollMs: 20 });
    const running = runStream({
      engine: h.engine,
      source,
      clock: systemClock,
      outbox: { flush: async () => void flushed.push(h.decisions.length) },
      snapshotPath: join(dir, 'state.snap'),
      snapshotEveryMs: 200,
      flushEveryMs: 100,
    });
    await sleep(700);
    assert.ok(flushed.includes(1), `flushes seen: ${flushed.join(',')}`);
    assert.ok(existsSync(join(dir, 'state.snap')));
    await source.close();
    const summary = await running;
    assert.equal(summary.events, 1);
    assert.equal(summary.decisions, 1);
  });
});

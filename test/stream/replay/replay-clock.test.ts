// The demo replays recorded days: the stream's clock runs with the replay, so the skew check compares
// replayed events with where the replay is, not with today.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createEventGate } from '../../../src/stream/engine/event-gate.ts';
import { parseEventTime } from '../../../src/stream/events/event-time.ts';
import type { SignallingEvent } from '../../../src/stream/events/signalling-event.ts';
import { createReplayClock } from '../../../src/stream/replay/replay-clock.ts';
import { heyuanCells } from '../stream-fixtures.ts';

function at(ts: string): SignallingEvent {
  return {
    tsMs: parseEventTime(ts),
    msisdn: '13800000001',
    event: 'call_out',
    cellId: '9310-101',
    peer: '',
    durationSec: 0,
  };
}

describe('the replay clock', () => {
  it('starts at the replay’s first event time and runs speed times faster than the wall', () => {
    const wall = fixedClock('2026-12-03T07:00:00Z');
    const clock = createReplayClock({ startEventMs: parseEventTime('2026-03-01 07:00:00'), speed: 120, wall });
    const gate = createEventGate({ cells: heyuanCells(), clock, maxSkewSec: 6 * 3600 });
    assert.equal(gate.check(at('2026-03-01 07:00:00')), undefined);
    assert.equal(gate.check(at('2026-03-01 12:59:00')), undefined);
    assert.equal(gate.check(at('2026-03-01 13:01:00'))?.code, 'clock_skew');
    wall.advance(60_000); // one wall minute is two event hours at 120×
    assert.equal(gate.check(at('2026-03-01 14:59:00')), undefined);
    assert.equal(gate.check(at('2026-03-01 15:01:00'))?.code, 'clock_skew');
    assert.equal(gate.check(at('2026-03-01 02:59:00'))?.code, 'clock_skew');
  });
});

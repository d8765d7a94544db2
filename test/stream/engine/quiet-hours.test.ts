import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuietHours, isQuiet } from '../../../src/stream/engine/quiet-hours.ts';
import { parseEventTime } from '../../../src/stream/events/event-time.ts';

const at = (time: string) => parseEventTime(`2026-03-01 ${time}`);

describe('quiet hours in event time', () => {
  it('spans midnight: from inclusive, to exclusive', () => {
    const night = compileQuietHours({ from: '21:30', to: '08:00' });
    assert.deepEqual(
      ['21:29:59', '21:30:00', '23:59:59', '00:00:00', '07:59:59', '08:00:00'].map((t) => isQuiet(night, at(t))),
      [false, true, true, true, true, false],
    );
  });

  it('works within one day, and "off" never suppresses', () => {
    const lunch = compileQuietHours({ from: '12:00', to: '13:30' });
    assert.deepEqual(
      ['11:59:59', '12:00:00', '13:29:59', '13:30:00'].map((t) => isQuiet(lunch, at(t))),
      [false, true, true, false],
    );
    assert.equal(isQuiet(compileQuietHours('off'), at('23:00:00')), false);
  });
});

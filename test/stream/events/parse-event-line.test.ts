import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEventTime, parseEventTime } from '../../../src/stream/events/event-time.ts';
import { createEventLineParser } from '../../../src/stream/events/parse-event-line.ts';

describe('stream lines', () => {
  it('reads a JSON line with the feed field names', () => {
    const outcome = createEventLineParser().parse(
      '{"ts":"2026-03-01 08:15:00.250","msisdn":"13800138000","event":"call_out","cell_id":"9501-12","peer":"12580","duration_s":45}',
    );
    assert.equal(outcome.kind, 'event');
    if (outcome.kind !== 'event') return;
    assert.equal(formatEventTime(outcome.event.tsMs), '2026-03-01 08:15:00.250');
    assert.equal(outcome.event.peer, '12580');
    assert.equal(outcome.event.durationSec, 45);
  });

  it('reads CSV rows after a header, in the header column order', () => {
    const parser = createEventLineParser();
    assert.deepEqual(parser.parse('msisdn,ts,event,cell_id,peer,duration_s'), { kind: 'skip' });
    const outcome = parser.parse('13800138000,2026-03-01 08:15:00,sms_out,9501-12,,0');
    assert.equal(outcome.kind, 'event');
    if (outcome.kind === 'event') assert.equal(outcome.event.peer, '');
  });

  it('rejects bad lines with a reason instead of throwing', () => {
    const parser = createEventLineParser();
    const reasons = [
      'not json {',
      '{"ts":"2026-03-01 08:15","msisdn":"13800138000","event":"call_out","cell_id":"1-1","duration_s":1}',
      '{"ts":"2026-02-30 08:15:00","msisdn":"13800138000","event":"call_out","cell_id":"1-1","duration_s":1}',
      '{"ts":"2026-03-01 08:15:00","msisdn":"1380013800","event":"call_out","cell_id":"1-1","duration_s":1}',
      '{"ts":"2026-03-01 08:15:00","msisdn":"13800138000","event":"dial","cell_id":"1-1","duration_s":1}',
      '{"ts":"2026-03-01 08:15:00","msisdn":"13800138000","event":"call_out","cell_id":"1-1","peer":"12a","duration_s":1}',
      '{"ts":"2026-03-01 08:15:00","msisdn":"13800138000","event":"call_out","cell_id":"1-1","duration_s":-3}',
      '[1,2]',
    ].map((line) => {
      const outcome = parser.parse(line);
      return outcome.kind === 'reject' ? outcome.reason : outcome.kind;
    });
    assert.deepEqual(reasons, [
      'CSV row has 1 fields, header has 6',
      'ts "2026-03-01 08:15" must be YYYY-MM-DD HH:MM:SS[.mmm], optionally with Z or ±HH:MM',
      'ts "2026-02-30 08:15:00" must be YYYY-MM-DD HH:MM:SS[.mmm], optionally with Z or ±HH:MM',
      'msisdn "1380013800" must have 11 digits',
      'event "dial" is not a signalling event',
      'peer "12a" must be digits',
      'duration_s "-3" must be 0..86400',
      'a JSON array: send one JSON object per line (JSON lines), not an array of events',
    ]);
  });

  it('computes event times exactly as Date.UTC would, across leap years and centuries', () => {
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const ms = Date.UTC(1900, 0, 1) + (seed / 4294967296) * (Date.UTC(2200, 0, 1) - Date.UTC(1900, 0, 1));
      const text = new Date(Math.floor(ms)).toISOString().replace('T', ' ').replace('Z', '');
      assert.equal(parseEventTime(text), Math.floor(ms), text);
    }
    assert.ok(Number.isNaN(parseEventTime('2100-02-29 00:00:00')));
    assert.equal(parseEventTime('2000-02-29 00:00:00'), Date.UTC(2000, 1, 29));
  });

  it('keeps event time as wall time, independent of the machine time zone', () => {
    assert.equal(parseEventTime('2026-03-01 00:00:00'), Date.UTC(2026, 2, 1));
    // A time in UTC is moved to the operator's local wall time (UTC+8 by default, or the given offset).
    assert.equal(parseEventTime('2026-03-01T23:59:59.5Z'), Date.UTC(2026, 2, 2, 7, 59, 59, 500));
    assert.equal(parseEventTime('2026-03-01T23:59:59.5Z', 0), Date.UTC(2026, 2, 1, 23, 59, 59, 500));
  });

  it('reads fields in any order, with spaces, numbers, extra fields and escapes (through JSON.parse)', () => {
    const parser = createEventLineParser();
    const lines = [
      '{ "duration_s" : 5 , "peer":114, "cell_id":"9501-1", "event":"call_out", "msisdn":13800138000, "ts":"2026-03-01 08:15:00", "extra": {"a": [1]} }',
      '{"ts":"2026-03-01 08:15:00","msisdn":"13800138000","event":"call_out","cell_id":"9501-\\u0031","peer":null,"duration_s":5}',
    ];
    const events = lines.map((line) => {
      const outcome = parser.parse(line);
      assert.equal(outcome.kind, 'event', line);
      return outcome.kind === 'event' ? outcome.event : undefined;
    });
    assert.deepEqual(
      events.map((e) => [e!.msisdn, e!.peer, e!.cellId, e!.durationSec]),
      [
        ['13800138000', '114', '9501-1', 5],
        ['13800138000', '', '9501-1', 5],
      ],
    );
  });
});

// What arrives on a stream as people actually send it: a byte-order mark, a JSON array instead of JSON
// lines, a record without a number, times written in UTC or with an offset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEventTime, parseEventTime } from '../../../src/stream/events/event-time.ts';
import { createEventLineParser } from '../../../src/stream/events/parse-event-line.ts';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    ts: '2026-03-01 10:15:00',
    msisdn: '13800138000',
    event: 'call_out',
    cell_id: '9310-101',
    ...fields,
  });

function outcomeOf(text: string, parser = createEventLineParser()): string {
  const outcome = parser.parse(text);
  if (outcome.kind === 'event') return `event ${formatEventTime(outcome.event.tsMs)} ${outcome.event.msisdn}`;
  return outcome.kind === 'reject' ? `${outcome.code}: ${outcome.reason}` : 'skip';
}

describe('stream input as people send it', () => {
  it('reads a first line that starts with a UTF-8 byte-order mark, JSON or CSV header alike', () => {
    assert.equal(outcomeOf(`\uFEFF${line({})}`), 'event 2026-03-01 10:15:00 13800138000');
    const csv = createEventLineParser();
    assert.equal(outcomeOf('\uFEFFmsisdn,ts,event,cell_id,peer,duration_s', csv), 'skip');
    assert.equal(
      outcomeOf('13800138000,2026-03-01 10:15:00,call_out,9310-101,,0', csv),
      'event 2026-03-01 10:15:00 13800138000',
    );
  });

  it('says so when it gets a JSON array instead of one object per line', () => {
    for (const text of [`[${line({})}, ${line({})}]`, '[', `\uFEFF[${line({})}]`])
      assert.equal(
        outcomeOf(text),
        'malformed: a JSON array: send one JSON object per line (JSON lines), not an array of events',
        text,
      );
  });

  it('says "missing msisdn" when there is none, in JSON and in CSV', () => {
    const { msisdn: _, ...noNumber } = JSON.parse(line({})) as Record<string, unknown>;
    assert.equal(outcomeOf(JSON.stringify(noNumber)), 'malformed: missing msisdn');
    assert.equal(outcomeOf(line({ msisdn: null })), 'malformed: missing msisdn');
    assert.equal(outcomeOf(line({ msisdn: '' })), 'malformed: missing msisdn');
    const csv = createEventLineParser();
    outcomeOf('ts,msisdn,event,cell_id,peer,duration_s', csv);
    assert.equal(outcomeOf('2026-03-01 10:15:00,,call_out,9310-101,,0', csv), 'malformed: missing msisdn');
    assert.equal(outcomeOf(line({ ts: undefined })), 'malformed: missing ts');
    assert.equal(outcomeOf(line({ cell_id: '' })), 'malformed: missing cell_id');
  });

  it('reads a time with Z or an offset as that instant, in the operator’s local time (UTC+8)', () => {
    const local = '2026-03-01 10:15:00';
    for (const ts of [
      '2026-03-01T02:15:00Z',
      '2026-03-01 02:15:00Z',
      '2026-03-01T10:15:00+08:00',
      '2026-03-01T10:15:00+0800',
      '2026-03-01T10:15:00+08',
      '2026-03-01T03:15:00+01:00',
      '2026-02-28T21:15:00-05:00',
      '2026-03-01T07:45:00+05:30',
    ])
      assert.equal(outcomeOf(line({ ts })), `event ${local} 13800138000`, ts);
    assert.equal(formatEventTime(parseEventTime('2026-03-01T02:15:00.250Z')), '2026-03-01 10:15:00.250');
    // Another operator's offset, from the configuration.
    const utc = createEventLineParser({ utcOffsetMinutes: 0 });
    assert.equal(outcomeOf(line({ ts: '2026-03-01T10:15:00+08:00' }), utc), 'event 2026-03-01 02:15:00 13800138000');
    assert.equal(outcomeOf(line({ ts: local }), utc), `event ${local} 13800138000`);
    for (const ts of [
      '2026-03-01T10:15:00+8',
      '2026-03-01T10:15:00+08:0',
      '2026-03-01T10:15:00Z+1',
      '2026-03-01T10:15:00+15:00',
      '2026-03-01T10:15:00 CST',
    ])
      assert.match(outcomeOf(line({ ts })), /^malformed: ts ".*" must be YYYY-MM-DD HH:MM:SS/, ts);
  });
});

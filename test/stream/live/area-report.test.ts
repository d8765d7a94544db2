// Adding up the workers' area reports: fresh ones summed, stale or missing ones listed and left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveAreaRow } from '../../../src/stream/live-areas.ts';
import { type AreaReport, mergeAreaReports } from '../../../src/stream/live/area-report.ts';

function area(present: number, callers114: number): LiveAreaRow {
  return {
    area: 'station',
    name: '火车站',
    label: { zh: '火车站', en: 'Railway station' },
    cells: 4,
    present,
    callers: { '114': callers114, '12580': 0 },
    events: present * 3,
    enters: present,
    leaves: 0,
    triggered: 1,
    control: 0,
    suppressed: 0,
    messages: 1,
    sent: 1,
    delivered: 1,
    failed: 0,
    responses: 0,
    controlResponses: 0,
  };
}

function report(index: number, count: number, present: number, watermark: number): AreaReport {
  return {
    worker: { index, count },
    intervalMs: 5000,
    view: { watermark, windowSec: 1800, areas: [area(present, 2)], cells: [] },
    subscribers: present * 10,
    events: present * 3,
  };
}

test('fresh reports are summed; a stale one and a slot never heard from are listed and left out', () => {
  const nowMs = 100_000;
  const merged = mergeAreaReports(
    [
      { report: report(0, 3, 5, 2000), receivedAtMs: nowMs - 1000 },
      { report: report(1, 3, 7, 1000), receivedAtMs: nowMs - 2000 },
      { report: report(2, 3, 11, 3000), receivedAtMs: nowMs - 16_000 },
    ],
    { nowMs },
  );
  assert.equal(merged.areas[0]?.present, 12);
  assert.deepEqual(merged.areas[0]?.callers, { '114': 4, '12580': 0 });
  assert.equal(merged.areas[0]?.sent, 2);
  assert.equal(merged.areas[0]?.cells, 4, 'the cell count of an area is not summed');
  assert.equal(merged.watermark, 1000, 'complete up to the slowest fresh worker');
  assert.equal(merged.complete, false);
  assert.deepEqual(
    merged.workers.map((w) => [w.worker, w.stale, w.ageSec]),
    [
      ['0/3', false, 1],
      ['1/3', false, 2],
      ['2/3', true, 16],
    ],
  );
  const missing = mergeAreaReports([{ report: report(0, 2, 5, 2000), receivedAtMs: nowMs }], { nowMs });
  assert.deepEqual(
    missing.workers.map((w) => [w.worker, w.stale, w.ageSec]),
    [
      ['0/2', false, 0],
      ['1/2', true, null],
    ],
  );
  assert.equal(missing.complete, false);
  assert.match(missing.partial?.zh ?? '', /1 个处理进程/);
  const none = mergeAreaReports([], { nowMs });
  assert.equal(none.running, false);
  assert.ok(none.hint);
});

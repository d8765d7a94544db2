// Today's live facts of one subscriber for the call centre's profile: the geofence entered (with its
// local time) and the cell last seen in; nothing for a number the stream has not seen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLiveSubscriber } from '../../../src/stream/index.ts';
import { harness, stationRules } from '../stream-fixtures.ts';

test('a subscriber in the station area since 10:12, seen last at 10:40 on the campus', () => {
  const h = harness(stationRules);
  h.send('2026-03-01 10:12:05', '13800138000', 'location_update', '9310-101');
  h.send('2026-03-01 10:20:00', '13800138000', 'call_out', '9310-102', '114');
  let live = describeLiveSubscriber(h.engine, '13800138000');
  assert.ok(live);
  assert.ok(live.lines.some((l) => l.zh === '10:12 起在火车站区域' && l.en === 'in the 火车站 area since 10:12'));
  assert.ok(live.lines.some((l) => /最近一次 10:20 出现在源城火车站 2（车站）/.test(l.zh)));
  assert.equal(live.lastSeenAt, '2026-03-01 10:20:00');

  h.send('2026-03-01 10:40:00', '13800138000', 'location_update', '9310-201');
  live = describeLiveSubscriber(h.engine, '13800138000');
  assert.ok(live);
  assert.ok(!live.lines.some((l) => l.zh.includes('火车站区域')), 'left the station');
  assert.ok(
    live.lines.some((l) => l.zh === '10:40 起在大学城区域'),
    JSON.stringify(live),
  );
  assert.ok(live.lines.some((l) => l.en === 'last seen at 10:40 near 大学城, 源城 (campus)'));
  assert.equal(describeLiveSubscriber(h.engine, '13900139000'), undefined);
});

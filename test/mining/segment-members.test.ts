// Segments stored for the triggers: every subscriber gets one segment name under one model version,
// the names the rules use (segment-1 …), and the sizes add up to the members.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readSubscriberFeatures, saveSegmentMembers } from '../../src/mining/telecom/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

let fixture: DemoFixture;
let warehouse: Warehouse;
before(async () => {
  fixture = await demoFixture();
  warehouse = await fixture.open();
});
after(() => {
  warehouse.close();
  fixture.remove();
});

test('k-means segments of the warehouse subscribers are written to mining_segment_members', async () => {
  const saved = await saveSegmentMembers(warehouse, {
    clock: fixedClock('2026-04-01T00:00:00Z'),
    seed: 1,
    k: 4,
    choose: 'silhouette',
    maxK: 8,
  });
  // Everyone the segments page segments: the subscribers with a profile (closed lines are left out).
  const profiled = (await readSubscriberFeatures(warehouse)).length;
  assert.equal(saved.members, profiled);
  assert.ok(profiled > 0.9 * (await warehouse.scalar('SELECT count(*) FROM subscribers')));
  assert.equal(saved.segments.length, 4);
  const stored = await warehouse.all<{ segment: string; n: number; versions: number }>(
    `SELECT segment, count(*) AS n, count(DISTINCT model_version) AS versions FROM mining_segment_members GROUP BY 1 ORDER BY 1`,
  );
  assert.deepEqual(
    stored.map((s) => s.segment),
    ['segment-1', 'segment-2', 'segment-3', 'segment-4'],
  );
  for (const s of stored) {
    assert.equal(Number(s.versions), 1);
    assert.equal(Number(s.n), saved.segments.find((x) => x.name === s.segment)!.size, s.segment);
  }
  assert.equal(await warehouse.scalar('SELECT count(DISTINCT msisdn) FROM mining_segment_members'), profiled);
});

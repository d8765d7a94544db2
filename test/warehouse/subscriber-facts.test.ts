// subscriber_facts after a load of the demo operator: one row per subscriber as of the data's last
// day, agreeing with the detail tables, kept when a re-run loads nothing, rebuilt when it is stale
// (a load killed before the refresh committed).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

let fixture: DemoFixture;
let w: Warehouse;
before(async () => {
  fixture = await demoFixture();
  w = await fixture.open();
});
after(() => {
  w?.close();
  fixture?.remove();
});

test('one row per subscriber, as of the last loaded day, agreeing with the details', async () => {
  assert.equal(
    await w.scalar('SELECT count(*) FROM subscriber_facts'),
    await w.scalar('SELECT count(*) FROM subscribers'),
  );
  const day = await w.one<{ facts: string; data: string }>(
    `SELECT CAST(max(f.as_of) AS VARCHAR) AS facts, (SELECT CAST(max(CAST(ts AS DATE)) AS VARCHAR) FROM orders) AS data FROM subscriber_facts f`,
  );
  assert.equal(day?.facts, day?.data);
  // held_services against the open subscriptions; services_held is its length
  assert.equal(await w.scalar(`SELECT count(*) FROM subscriber_facts WHERE len(held_services) <> services_held`), 0);
  assert.equal(
    await w.scalar(`SELECT sum(services_held) FROM subscriber_facts`),
    await w.scalar(`SELECT count(*) FROM subscriptions WHERE started_on <= (SELECT max(as_of) FROM subscriber_facts)
      AND (ended_on IS NULL OR ended_on > (SELECT max(as_of) FROM subscriber_facts))`),
  );
  // 7-day SMS totals against the per-subscriber days
  assert.equal(
    await w.scalar('SELECT sum(sms_out_7d) FROM subscriber_facts'),
    await w.scalar(`SELECT sum(sms_out) FROM agg_subscriber_day WHERE day > (SELECT max(as_of) FROM subscriber_facts) - 7
      AND msisdn IN (SELECT msisdn FROM subscribers)`),
  );
  assert.ok((await w.scalar(`SELECT count(*) FROM subscriber_facts WHERE area_type IS NOT NULL`)) > 0);
  assert.ok((await w.scalar(`SELECT count(*) FROM subscriber_facts WHERE arpu IS NOT NULL`)) > 0);
});

test('a re-run that loads nothing keeps the facts; stale facts are rebuilt by the next load', async () => {
  const clock = fixedClock('2026-04-02T00:00:00Z');
  const before = await w.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'subscriber_facts_of'`);
  await w.run(
    `UPDATE subscriber_facts SET county = 'stale' WHERE msisdn IN (SELECT msisdn FROM subscriber_facts LIMIT 5)`,
  );
  await loadDirectory(w, fixture.feedDir, { clock });
  assert.equal(await w.scalar(`SELECT count(*) FROM subscriber_facts WHERE county = 'stale'`), 5);
  // as if a load had committed a file and been killed before the facts were rebuilt
  await w.run(`UPDATE meta SET value = 'killed' WHERE key = 'subscriber_facts_of'`);
  await loadDirectory(w, fixture.feedDir, { clock });
  assert.equal(await w.scalar(`SELECT count(*) FROM subscriber_facts WHERE county = 'stale'`), 0);
  assert.equal(
    (await w.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'subscriber_facts_of'`))?.value,
    before?.value,
  );
});

// The uplift features read from a loaded demo operator: one row per subscriber with the audience
// attribute names as columns, recounted from the detail tables.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { upliftFeatureNames, upliftFeaturesSql } from '../../../src/mining/uplift/index.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../../analysis/demo-warehouse.ts';

let fixture: DemoFixture;
let warehouse: Warehouse;
before(async () => {
  fixture = await demoFixture();
  warehouse = await fixture.open();
});
after(() => {
  warehouse?.close();
  fixture?.remove();
});

test('one row per subscriber activated by the day, with msisdn and every feature column', async () => {
  const rows = await warehouse.all(upliftFeaturesSql('2026-03-30'));
  assert.deepEqual(Object.keys(rows[0]!), ['msisdn', ...upliftFeatureNames]);
  const expected = await warehouse.scalar(`SELECT count(*) FROM subscribers WHERE activated_on <= DATE '2026-03-30'`);
  assert.equal(rows.length, Number(expected));
  assert.equal(new Set(rows.map((r) => r.msisdn)).size, rows.length);
});

test('age, tenure, ARPU and area type agree with the detail tables', async () => {
  const rows = await warehouse.all<{
    msisdn: string;
    age: number;
    tenure_months: number;
    arpu: number | null;
    area_type: string | null;
    brand: string;
    plan: string;
  }>(upliftFeaturesSql('2026-03-30'));
  const byMsisdn = new Map(rows.map((r) => [r.msisdn, r]));
  const subscribers = await warehouse.all<{
    msisdn: string;
    birth_year: number;
    activated_on: string;
    plan_id: string;
  }>(`SELECT msisdn, birth_year, CAST(activated_on AS VARCHAR) AS activated_on, plan_id FROM subscribers LIMIT 200`);
  for (const s of subscribers) {
    const r = byMsisdn.get(s.msisdn);
    if (!r) continue;
    assert.equal(r.age, 2026 - s.birth_year);
    assert.equal(r.plan, s.plan_id);
    const [y, m, d] = s.activated_on.split('-').map(Number) as [number, number, number];
    const months = (2026 - y) * 12 + (3 - m) - (30 < d ? 1 : 0);
    assert.ok(Math.abs(r.tenure_months - months) <= 1, `${r.tenure_months} vs ${months}`);
  }
  // The latest bill of March (or before) of one subscriber, recounted.
  const one = rows.find((r) => r.arpu !== null)!;
  const bill = await warehouse.scalar(
    `SELECT CAST(total_fee AS DOUBLE) FROM billing WHERE msisdn = ? AND month <= DATE '2026-03-01' ORDER BY month DESC LIMIT 1`,
    [one.msisdn],
  );
  assert.equal(one.arpu, Number(bill));
  assert.ok(rows.filter((r) => r.arpu !== null).length > 0.9 * rows.length);
  // Signalling was generated for the last day only: most subscribers have a most-seen cell then.
  assert.ok(rows.filter((r) => r.area_type !== null).length > 0.5 * rows.length);
  const areaTypes = new Set(rows.map((r) => r.area_type).filter((a) => a !== null));
  assert.ok(areaTypes.has('campus') && areaTypes.has('residential'), [...areaTypes].join(','));
});

test('without a day the features are as of the last day of the data; a bad day is refused', async () => {
  const last = await warehouse.all(upliftFeaturesSql());
  const explicit = await warehouse.all(upliftFeaturesSql('2026-03-30'));
  assert.deepEqual(last, explicit);
  assert.throws(() => upliftFeaturesSql("2026-03-30'; DROP TABLE subscribers; --"), /must be YYYY-MM-DD/);
});

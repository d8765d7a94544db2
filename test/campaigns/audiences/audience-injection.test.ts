// Hostile values in every text field of every condition select exactly what an unknown harmless value
// selects, and change nothing in the warehouse.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileAudience } from '../../../src/campaigns/audiences/index.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { openAudienceWarehouse } from './audience-warehouse.ts';

const hostile = [
  "x' OR 1=1 --",
  "'); DROP TABLE subscribers; --",
  "music' OR '1'='1",
  '" OR ""="',
  "'; DELETE FROM subscriber_facts; SELECT '",
  '1) OR (1=1',
];
const harmless = 'zz-unknown';

/** Every text field a condition has, as a function of the value put in it. */
const fields: [string, (v: string) => unknown][] = [
  ['attribute brand in', (v) => ({ attribute: 'brand', in: [v] })],
  ['attribute county in', (v) => ({ attribute: 'county', in: [v] })],
  ['attribute plan in', (v) => ({ attribute: 'plan', in: [v] })],
  ['attribute gender in', (v) => ({ attribute: 'gender', in: [v] })],
  ['attribute area_type in', (v) => ({ attribute: 'area_type', in: [v] })],
  ['not area_type in', (v) => ({ not: { attribute: 'area_type', in: [v] } })],
  ['holds', (v) => ({ holds: v })],
  ['lacks', (v) => ({ lacks: v })],
  ['cancelled', (v) => ({ cancelled: v, withinDays: 30 })],
  ['uses', (v) => ({ uses: v, withinDays: 30 })],
  ['segment in', (v) => ({ segment: 'age_band', in: [v] })],
  ['score modelVersion (top)', (v) => ({ score: 'churn', modelVersion: v, top: 3 })],
  ['score modelVersion (atLeast)', (v) => ({ score: 'churn', modelVersion: v, atLeast: 0 })],
  ['score service', (v) => ({ score: 'propensity', modelVersion: 'prop-v2', service: v, top: 10 })],
  ['rule lhs', (v) => ({ rule: { lhs: [v], rhs: ['news'] } })],
  ['rule rhs', (v) => ({ rule: { lhs: ['crbt'], rhs: [v] } })],
];

let w: Warehouse;
let tablesBefore: string;
before(async () => {
  w = await openAudienceWarehouse();
  tablesBefore = await snapshot();
});
after(() => w.close());

async function snapshot(): Promise<string> {
  const names = ['subscribers', 'subscriber_facts', 'subscriptions', 'mining_churn_scores', 'billing'];
  const counts = await Promise.all(names.map((t) => w.scalar(`SELECT count(*) FROM ${t}`)));
  const tables = await w.all('SELECT table_name FROM information_schema.tables ORDER BY table_name');
  return JSON.stringify({ counts, tables });
}

async function members(definition: unknown): Promise<string[]> {
  const { sql, params } = compileAudience(definition);
  return (await w.all<{ msisdn: string }>(`SELECT msisdn FROM (${sql}) ORDER BY msisdn`, params)).map((r) => r.msisdn);
}

for (const [name, leaf] of fields) {
  test(`${name}: hostile values select what an unknown value selects`, async () => {
    const expected = await members(leaf(harmless));
    for (const value of hostile) {
      const { sql } = compileAudience(leaf(value));
      assert.ok(!sql.includes(value), `the value reached the SQL text: ${value}`);
      assert.deepEqual(await members(leaf(value)), expected, value);
      // inside any/all/not too
      assert.deepEqual(await members({ all: [{ any: [leaf(value)] }] }), expected, value);
    }
  });
}

test('a hostile asOf is refused before any SQL runs', () => {
  assert.throws(() => compileAudience({ all: [] }, { asOf: "2026-03-31'); DROP TABLE subscribers; --" }), /asOf/);
});

test('nothing was dropped or deleted', async () => {
  assert.equal(await snapshot(), tablesBefore);
  assert.equal(await w.scalar('SELECT count(*) FROM subscribers'), 5);
});

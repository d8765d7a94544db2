// `telmark simulate-responses` on a generated demo operator: campaign messages are queued through the
// outbox and some marked delivered as the sender would; the order files drawn from them load like any
// feed, the response rates of contacted and uncontacted sub-groups match the planted truth within
// binomial bounds, and writing and loading twice changes nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { simulateResponses } from '../../../src/campaigns/simulation/index.ts';
import { queueMessages } from '../../../src/channels/index.ts';
import { defaultConfig } from '../../../src/config/config.ts';
import {
  baselineWindowChance,
  defaultGenerateOptions,
  generateDemoOperator,
  noEffectOffer,
  plantedOffer,
} from '../../../src/demo/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { hashFraction } from '../../../src/shared/hash-fraction.ts';
import { isAppError } from '../../../src/shared/errors.ts';
import {
  discoverUpliftRules,
  type UpliftCondition,
  upliftFeatureNames,
  upliftFeaturesSql,
} from '../../../src/mining/uplift/index.ts';
import { loadDirectory } from '../../../src/warehouse/load/index.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';

const SUBSCRIBERS = 12_000;
const dir = mkdtempSync(join(tmpdir(), 'telmark-simulate-'));
const feedDir = join(dir, 'feeds');
const responseDir = join(dir, 'responses');
const dbPath = join(dir, 'demo.duckdb');
const clock = fixedClock('2026-03-03T10:00:00+08:00');
let warehouse: Warehouse;

before(async () => {
  await generateDemoOperator({
    ...defaultGenerateOptions,
    subscribers: SUBSCRIBERS,
    days: 3,
    outDir: feedDir,
    signallingDays: [],
  });
  warehouse = await Warehouse.open(dbPath);
  await loadDirectory(warehouse, feedDir, { clock });
});
after(() => {
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Queues one message per active subscriber for `serviceId`, then marks a stable ~60 % delivered. */
async function runCampaign(campaignId: string, serviceId: string, deliveredAt: string): Promise<void> {
  const active = await warehouse.all<{ msisdn: string }>(
    `SELECT msisdn FROM subscribers WHERE status = 'active' ORDER BY msisdn`,
  );
  const config = structuredClone(defaultConfig.channels);
  config.policy.quietHours = 'off';
  // Several campaigns go to the same subscribers on one day here; the caps are the channels' business.
  Object.assign(config.policy, {
    capPerDay: 0,
    capPerWeek: 0,
    capPerMonth: 0,
    capacityPerDay: { sms: 0, email: 0 },
    duplicateWindowDays: 0,
  });
  const queuedResult = await queueMessages(
    warehouse,
    {
      source: 'campaign',
      sourceRef: campaignId,
      messages: active.map((s) => ({
        id: `${campaignId}|1|${s.msisdn}`,
        recipient: s.msisdn,
        serviceId,
        text: `${campaignId}：${serviceId} 半价，回复1订购`,
      })),
    },
    { config, clock },
  );
  assert.ok(queuedResult.queued > 0.8 * active.length, JSON.stringify(queuedResult.skipped));
  const queued = await warehouse.all<{ message_id: string; subscriber: string }>(
    `SELECT message_id, subscriber FROM channel_outbox WHERE source_ref = ? AND status = 'pending' ORDER BY message_id`,
    [campaignId],
  );
  const delivered = queued.filter((m) => hashFraction(`delivered|${m.subscriber}`) < 0.6).map((m) => m.message_id);
  for (let from = 0; from < delivered.length; from += 1000) {
    const chunk = delivered.slice(from, from + 1000);
    await warehouse.run(
      `UPDATE channel_outbox SET status = 'delivered', submitted_at = CAST(? AS TIMESTAMP), final_at = CAST(? AS TIMESTAMP)
       WHERE message_id IN (${chunk.map(() => '?').join(', ')})`,
      [deliveredAt, deliveredAt, ...chunk],
    );
  }
}

type GroupRate = {
  young_mzone: boolean;
  contacted: boolean;
  subscribers: number;
  responders: number;
};

/** Non-holders of the service on the delivery day, by sub-group and contact, with responders in the window. */
async function responseRates(serviceId: string, campaignId: string): Promise<GroupRate[]> {
  return warehouse.all<GroupRate>(
    `WITH base AS (
       SELECT s.msisdn, (2026 - s.birth_year < 25 AND s.brand = 'mzone') AS young_mzone,
         EXISTS (SELECT 1 FROM channel_outbox m WHERE m.subscriber = s.msisdn AND m.source_ref = ? AND m.status = 'delivered') AS contacted
       FROM subscribers s
       WHERE s.status = 'active' AND NOT EXISTS (
         SELECT 1 FROM subscriptions t WHERE t.msisdn = s.msisdn AND t.service_id = ?
           AND t.started_on <= DATE '2026-03-03' AND (t.ended_on IS NULL OR t.ended_on > DATE '2026-03-03')))
     SELECT young_mzone, contacted, CAST(count(*) AS INTEGER) AS subscribers,
       CAST(count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders o WHERE o.msisdn = base.msisdn AND o.service_id = ?
         AND o.action = 'subscribe' AND o.ts >= TIMESTAMP '2026-03-03 10:05:00'
         AND o.ts < TIMESTAMP '2026-03-10 10:05:00')) AS INTEGER) AS responders
     FROM base GROUP BY ALL ORDER BY ALL`,
    [campaignId, serviceId, serviceId],
  );
}

/** True when a rule's conditions describe young M-Zone (by brand, or by M-Zone plans), age bound near 25. */
function inPlantedGroup(conditions: readonly UpliftCondition[]): boolean {
  const brand = conditions.find((c) => c.attribute === 'brand');
  const plan = conditions.find((c) => c.attribute === 'plan');
  const age = conditions.find((c) => c.attribute === 'age');
  const mzone =
    (brand && 'in' in brand && brand.in.every((b) => b === 'mzone')) ||
    (plan && 'in' in plan && plan.in.filter((p) => p.startsWith('MZ')).length >= plan.in.length - 1);
  const young = age && 'between' in age && age.between[1] !== null && age.between[1] <= 30;
  return Boolean(mzone && young);
}

/** |observed − expected| within 4 binomial standard errors (plus one response for tiny rates). */
function assertNear(group: GroupRate, expected: number, what: string): void {
  const rate = group.responders / group.subscribers;
  const bound = 4 * Math.sqrt((expected * (1 - expected)) / group.subscribers) + 1 / group.subscribers;
  assert.ok(
    Math.abs(rate - expected) <= bound,
    `${what}: ${group.responders}/${group.subscribers} = ${rate.toFixed(4)}, expected ${expected.toFixed(4)} ± ${bound.toFixed(4)}`,
  );
}

test('delivered messages of the planted offer lift orders among young M-Zone only; the uncontacted order at the baseline', async (t) => {
  await runCampaign('CMP-PLANTED', plantedOffer.serviceId, '2026-03-03 10:05:00');
  const result = await simulateResponses(warehouse, responseDir);
  assert.ok(result.deliveries > 0.5 * SUBSCRIBERS * 0.6, `deliveries ${result.deliveries}`);
  assert.deepEqual(
    result.files.map((f) => f.file),
    ['04', '05', '06', '07', '08', '09', '10'].map((d) => `orders_202603${d}.csv`),
  );
  const summary = await loadDirectory(warehouse, responseDir, { clock });
  assert.equal(summary.rejected.length, 0);
  assert.equal(summary.rowsQuarantined, 0, JSON.stringify(summary.quarantinedByReason));
  assert.equal(summary.rowsLoaded, result.orders.campaign + result.orders.baseline);

  const rates = await responseRates(plantedOffer.serviceId, 'CMP-PLANTED');
  t.diagnostic(JSON.stringify(rates));
  const group = (young: boolean, contacted: boolean) =>
    rates.find((r) => r.young_mzone === young && r.contacted === contacted)!;
  // Baselines: every young M-Zone subscriber is under 26, so the generator's young factor applies.
  const youngBase = baselineWindowChance('crbt', { brand: 'mzone', age: 20 });
  const inGroupContacted = plantedOffer.extraInSubGroup + (1 - plantedOffer.extraInSubGroup) * youngBase;
  assert.ok(group(true, true).subscribers >= 200, `young M-Zone contacted ${group(true, true).subscribers}`);
  assertNear(group(true, true), inGroupContacted, 'young M-Zone, contacted');
  assertNear(group(true, false), youngBase, 'young M-Zone, not contacted');
  // Elsewhere the baseline differs by brand and age; bound it by the smallest and largest of them.
  const elsewhere = group(false, true);
  const others = group(false, false);
  const rate = (g: GroupRate) => g.responders / g.subscribers;
  assert.ok(rate(elsewhere) < 0.03, `elsewhere contacted ${rate(elsewhere)}`);
  assert.ok(Math.abs(rate(elsewhere) - rate(others)) < 0.01, `elsewhere uplift ${rate(elsewhere) - rate(others)}`);
  assert.ok(rate(group(true, true)) - rate(group(true, false)) > 0.05, 'the planted uplift shows');
  // Campaign orders name their campaign; baseline orders come through the ordinary channels.
  const channels = await warehouse.all<{ channel: string; campaign_id: string | null; n: number }>(
    `SELECT channel, campaign_id, CAST(count(*) AS INTEGER) AS n FROM orders WHERE order_id LIKE 'SIM-%' GROUP BY ALL ORDER BY ALL`,
  );
  assert.ok(channels.some((c) => c.channel === 'campaign' && c.campaign_id === 'CMP-PLANTED'));
  assert.ok(
    channels.filter((c) => c.channel !== 'campaign').every((c) => c.campaign_id === null || c.campaign_id === ''),
  );
});

test('uplift discovery on the simulated pilot finds the planted sub-group', async (t) => {
  // Contacted = delivered; the rest (undelivered, global control group) serve as control here.
  const rows = await warehouse.all(
    `WITH f AS (${upliftFeaturesSql('2026-03-03')})
     SELECT f.*,
       EXISTS (SELECT 1 FROM channel_outbox m WHERE m.subscriber = f.msisdn AND m.source_ref = 'CMP-PLANTED'
         AND m.status = 'delivered') AS treated,
       EXISTS (SELECT 1 FROM orders o WHERE o.msisdn = f.msisdn AND o.service_id = 'crbt' AND o.action = 'subscribe'
         AND o.ts >= TIMESTAMP '2026-03-03 10:05:00' AND o.ts < TIMESTAMP '2026-03-10 10:05:00') AS responded
     FROM f JOIN subscribers s USING (msisdn) WHERE s.status = 'active'
     ORDER BY f.msisdn`,
  );
  const samples = rows.map((r) => ({
    features: Object.fromEntries(upliftFeatureNames.map((name) => [name, r[name] as string | number | null])),
    treated: r.treated === true,
    responded: r.responded === true,
  }));
  const found = discoverUpliftRules(samples, { seed: 1 });
  t.diagnostic(found.rules.map((r) => `${r.text.zh} ${r.heldOut.uplift.toFixed(3)}`).join('; '));
  assert.ok(found.rules.length >= 1, found.leaves.map((l) => l.text.en).join('; '));
  for (const rule of found.rules) assert.ok(inPlantedGroup(rule.conditions), rule.text.en);
});

test('writing and loading the responses again changes nothing', async () => {
  const before = await warehouse.scalar(`SELECT count(*) FROM orders WHERE order_id LIKE 'SIM-%'`);
  const bytes = readdirSync(responseDir).map((f) => readFileSync(join(responseDir, f), 'utf8'));
  await simulateResponses(warehouse, responseDir);
  assert.deepEqual(
    readdirSync(responseDir).map((f) => readFileSync(join(responseDir, f), 'utf8')),
    bytes,
  );
  const summary = await loadDirectory(warehouse, responseDir, { clock });
  assert.equal(summary.rowsLoaded, 0);
  assert.equal(await warehouse.scalar(`SELECT count(*) FROM orders WHERE order_id LIKE 'SIM-%'`), before);
});

test('the offer without a planted effect gets no lift from its messages', async () => {
  await runCampaign('CMP-NONE', noEffectOffer.serviceId, '2026-03-03 11:00:00');
  await simulateResponses(warehouse, responseDir);
  await loadDirectory(warehouse, responseDir, { clock });
  const rates = await responseRates(noEffectOffer.serviceId, 'CMP-NONE');
  const contacted = rates
    .filter((r) => r.contacted)
    .reduce((s, r) => ({ n: s.n + r.subscribers, k: s.k + r.responders }), { n: 0, k: 0 });
  const control = rates
    .filter((r) => !r.contacted)
    .reduce((s, r) => ({ n: s.n + r.subscribers, k: s.k + r.responders }), { n: 0, k: 0 });
  const diff = contacted.k / contacted.n - control.k / control.n;
  const se = Math.sqrt(0.01 / contacted.n + 0.01 / control.n);
  assert.ok(Math.abs(diff) < 4 * se, `uplift of the no-effect offer ${diff.toFixed(4)} (se ${se.toFixed(4)})`);
  assert.ok(contacted.k + control.k > 0, 'the baseline still orders');
});

test('responses that would land on days the order feed covers are refused, naming the file', async () => {
  await runCampaign('CMP-EARLY', plantedOffer.serviceId, '2026-03-01 09:00:00');
  await assert.rejects(simulateResponses(warehouse, join(dir, 'early')), (error) => {
    assert.ok(isAppError(error));
    assert.equal(error.location.file, 'orders_20260302.csv');
    assert.match(error.hint ?? '', /2026-03-03/);
    return true;
  });
  await warehouse.run(`DELETE FROM channel_outbox WHERE source_ref = 'CMP-EARLY'`);
});

test("telmark simulate-responses refuses a warehouse that is not the demo operator's", () => {
  const other = join(dir, 'other.duckdb');
  const run = spawnSync(
    process.execPath,
    ['bin/telmark.js', '--db', other, 'simulate-responses', '--out', join(dir, 'x')],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /not the demo operator's/);
  assert.match(run.stderr, /telmark generate/);
});

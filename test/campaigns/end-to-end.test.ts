// The campaign loop end to end on a generated demo operator: the example campaign files, approval by a
// second user, a pilot on a random half of the whole base, delivery through the real local SMSC and
// the sender, the subscribers' answers drawn by `simulate-responses` from the planted truth and loaded
// like any order feed, evaluation with rule discovery, a rollout narrowed to the rules with its own
// control, and the offer without effect. Asserted against the generator's truth (src/demo/).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simulateResponses } from '../../src/campaigns/simulation/index.ts';
import {
  approveCampaign,
  closeCampaign,
  createCampaign,
  evaluateCampaign,
  parseCampaignYaml,
  type RoundEvaluation,
  searchKnowledge,
  startPilot,
  startRollout,
} from '../../src/campaigns/index.ts';
import { LocalSmsc, parseSmppUrl, runSender } from '../../src/channels/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { defaultGenerateOptions, generateDemoOperator, noEffectOffer, plantedOffer } from '../../src/demo/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { actor } from './campaign-fixture.ts';

// Big enough that the planted sub-group (M-Zone under 25, about 8 % of the base) gives a pilot whose
// held-out half still shows its 10 points; small enough to generate and load in well under a minute.
const SUBSCRIBERS = 30_000;
const dir = mkdtempSync(join(tmpdir(), 'telmark-campaign-e2e-'));
const feedDir = join(dir, 'feeds');
const responseDir = join(dir, 'responses');
const dbPath = join(dir, 'demo.duckdb');
const clock = fixedClock('2026-03-03T10:00:00+08:00');
const channels = structuredClone(defaultConfig.channels);
// Two campaigns reach the same subscribers on one day here; the daily cap is the channels' business.
channels.policy.capPerDay = 0;
channels.sms.receiptWaitSec = 20;
const deps = { clock, channels };
const maker = actor('marketer1', 'campaign_manager');
const checker = actor('approver1', 'approver');
let warehouse: Warehouse;
let smsc: LocalSmsc;

/** The sender's real path: the outbox over SMPP to the local SMSC, receipts back. */
async function deliver(): Promise<number> {
  const progress = await runSender({
    warehouse,
    config: channels,
    clock,
    smsc: parseSmppUrl(`smpp://telmark:secret@127.0.0.1:${smsc.port}`),
    tps: 5000,
    window: 50,
    once: true,
  });
  return progress.delivered;
}

async function respondAndLoad(): Promise<void> {
  await simulateResponses(warehouse, responseDir);
  const loaded = await loadDirectory(warehouse, responseDir, { clock });
  assert.equal(loaded.rowsQuarantined, 0, JSON.stringify(loaded.quarantinedByReason));
}

const youngMzone = (conditions: readonly Record<string, unknown>[]) => {
  const brand = conditions.find((c) => c.attribute === 'brand');
  const age = conditions.find((c) => c.attribute === 'age');
  const high = (age?.between as [number | null, number | null] | undefined)?.[1];
  return (
    Array.isArray(brand?.in) &&
    (brand.in as string[]).includes('mzone') &&
    !(brand.in as string[]).includes('easyown') &&
    typeof high === 'number' &&
    high >= 22 &&
    high <= 28
  );
};

describe('campaign loop end to end on the demo', { timeout: 600_000 }, () => {
  let pilotId = '';
  let noEffectId = '';
  let pilot: RoundEvaluation;

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
    smsc = new LocalSmsc({ port: 0, systemId: 'telmark', password: 'secret', receiptDelayMs: 5 });
    await smsc.start();
  });
  after(async () => {
    await smsc?.stop();
    warehouse?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pilots both example campaigns on a random sample of the whole base, delivered through the SMSC', async () => {
    const planted = parseCampaignYaml(
      readFileSync('examples/campaigns/planted-offer.yaml', 'utf8'),
      'planted-offer.yaml',
    );
    const none = parseCampaignYaml(readFileSync('examples/campaigns/no-effect.yaml', 'utf8'), 'no-effect.yaml');
    assert.equal(planted.service, plantedOffer.serviceId);
    assert.equal(none.service, noEffectOffer.serviceId);
    pilotId = (await createCampaign(warehouse, planted, maker, deps)).id;
    noEffectId = (await createCampaign(warehouse, none, maker, deps)).id;
    await assert.rejects(approveCampaign(warehouse, pilotId, maker, deps), /lacks the right|cannot also approve/);
    for (const id of [pilotId, noEffectId]) await approveCampaign(warehouse, id, checker, deps);
    const a = await startPilot(warehouse, pilotId, maker, deps);
    const b = await startPilot(warehouse, noEffectId, maker, deps);
    assert.ok(a.contacted > 5000 && a.control > 5000, JSON.stringify(a));
    assert.ok(b.contacted > 5000, JSON.stringify(b));
    clock.set('2026-03-03T10:05:00+08:00');
    const delivered = await deliver();
    assert.equal(delivered, a.queued + b.queued);
    assert.equal(smsc.stats.accepted >= delivered, true);
    await respondAndLoad();
  });

  it('shows the planted offer working only in the planted sub-group, and discovers it', async () => {
    pilot = await evaluateCampaign(warehouse, pilotId, maker, deps);
    const brand = (name: string) => pilot.by_brand.find((b) => b.brand === name)!;
    // The sub-group lies inside M-Zone: its interval excludes zero; elsewhere the planted extra is
    // a fraction of a point (plantedOffer.extraElsewhere), and that is what the other brands show.
    const elsewhere = plantedOffer.extraElsewhere * 100;
    assert.ok(brand('mzone').ci_low! > 0, `mzone ${JSON.stringify(brand('mzone'))}`);
    for (const other of ['gotone', 'easyown']) {
      const b = brand(other);
      assert.ok(
        b.uplift! < 1 && b.ci_low! < elsewhere + 0.3 && b.ci_high! > elsewhere - 0.3,
        `${other} ${JSON.stringify(b)}`,
      );
    }
    const young = pilot.by_segment.find((s) => s.segment === 'age<25')!;
    assert.ok(young.ci_low! > 0, JSON.stringify(young));
    // Rule discovery returns the generator's sub-group: M-Zone and under about 25.
    const rules = pilot.rules as { conditions: Record<string, unknown>[]; heldOut: { ciLow: number } }[];
    assert.ok(rules.length >= 1, 'a rule was found');
    assert.ok(youngMzone(rules[0]!.conditions), JSON.stringify(rules[0]!.conditions));
    assert.ok(rules[0]!.heldOut.ciLow > 0);
    assert.ok(pilot.uplift! < 3, `the pilot's average is diluted: ${pilot.uplift}`);
    // Split by the rules: the uplift is inside them (several points, interval above zero); outside
    // them it is the planted fraction of a point.
    const [inside, outside] = (pilot.discovery as { byRule: RoundEvaluation[] }).byRule;
    assert.ok(inside!.uplift! > 5 && inside!.ci_low! > 0, JSON.stringify(inside));
    assert.ok(outside!.uplift! < 1 && outside!.ci_low! < elsewhere + 0.3, JSON.stringify(outside));
  });

  it("rolls out to the discovered audience with its own control, and the uplift there is larger than the pilot's", async () => {
    clock.set('2026-03-11T10:00:00+08:00');
    const rollout = await startRollout(warehouse, pilotId, maker, deps);
    assert.equal(rollout.kind, 'rollout');
    assert.ok(rollout.narrowedToRules >= 1);
    assert.ok(rollout.audienceSize < SUBSCRIBERS / 5, `narrowed audience ${rollout.audienceSize}`);
    assert.ok(rollout.control > 100, JSON.stringify(rollout));
    // Everyone contacted in the rollout is M-Zone and young: the narrowed audience held.
    const outside = await warehouse.scalar(
      `SELECT count(*) FROM campaign_assignments a JOIN subscribers s USING (msisdn)
       WHERE a.campaign_id = ? AND a.round = 2 AND (s.brand <> 'mzone' OR 2026 - s.birth_year >= 28)`,
      [pilotId],
    );
    assert.equal(outside, 0);
    clock.set('2026-03-11T10:05:00+08:00');
    assert.equal(await deliver(), rollout.queued);
    await respondAndLoad();
    const e = await evaluateCampaign(warehouse, pilotId, maker, deps);
    assert.equal(e.round, 2);
    assert.ok(e.ci_low! > 0, JSON.stringify({ uplift: e.uplift, ci: [e.ci_low, e.ci_high] }));
    assert.ok(e.uplift! > pilot.uplift!, `rollout ${e.uplift} > pilot ${pilot.uplift}`);
    const entry = await closeCampaign(warehouse, pilotId, maker, deps, { lessons: '动感地带25岁以下有效' });
    assert.equal(entry.result, 'positive');
    assert.match(entry.segments, /brand=mzone/);
    assert.equal((await searchKnowledge(warehouse, { service: plantedOffer.serviceId, segment: 'mzone' })).length, 1);
  });

  it('shows an interval that includes zero for the offer without effect', async () => {
    const e = await evaluateCampaign(warehouse, noEffectId, maker, deps, { discover: false });
    assert.ok(e.contacted > 5000 && e.control > 5000);
    assert.ok(e.responders_contacted + e.responders_control > 0, 'people still order it on their own');
    assert.ok(e.ci_low! < 0 && e.ci_high! > 0, JSON.stringify({ uplift: e.uplift, ci: [e.ci_low, e.ci_high] }));
  });

  it('gives the same evaluation through `telmark campaign evaluate --format json`', async () => {
    warehouse.close();
    const run = spawnSync(
      process.execPath,
      ['bin/telmark.js', 'campaign', 'evaluate', noEffectId, '--no-discover', '--format', 'json', '--user', 'analyst9'],
      {
        env: { ...process.env, TELMARK_DB: dbPath },
        encoding: 'utf8',
      },
    );
    warehouse = await Warehouse.open(dbPath);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    for (const field of [
      'contacted',
      'control',
      'responders_contacted',
      'responders_control',
      'uplift',
      'ci_low',
      'ci_high',
      'p_value',
      'rules',
    ])
      assert.ok(field in json, field);
    assert.ok(json.ci_low < 0 && json.ci_high > 0);
  });
});

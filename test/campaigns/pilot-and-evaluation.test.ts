import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inGlobalControlGroup } from '../../src/channels/index.ts';
import {
  approveCampaign,
  assignGroups,
  closeCampaign,
  createCampaign,
  evaluateCampaign,
  searchKnowledge,
  startPilot,
  startRollout,
  suggestForService,
  upliftOf,
  validateContent,
} from '../../src/campaigns/index.ts';
import { hashFraction } from '../../src/shared/hash-fraction.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { actor, addOrders, campaignDeps, deliverAll, openCampaignWarehouse } from './campaign-fixture.ts';

const SUBSCRIBERS = 6000;

describe('uplift statistics', () => {
  it('matches the difference of proportions worked by hand', () => {
    // 200/1000 against 100/1000: 10 pp, SE sqrt(.2*.8/1000 + .1*.9/1000) = 0.0158114
    const u = upliftOf({ subscribers: 1000, responders: 200 }, { subscribers: 1000, responders: 100 });
    assert.ok(Math.abs(u.uplift! - 10) < 1e-9);
    assert.ok(Math.abs(u.ciLow! - (10 - 1.959964 * 1.58114)) < 1e-3);
    assert.ok(Math.abs(u.ciHigh! - (10 + 1.959964 * 1.58114)) < 1e-3);
    // pooled z = 0.1 / sqrt(.15*.85*.002) = 6.262: p about 3.8e-10
    assert.ok(u.pValue! < 1e-8 && u.pValue! > 1e-11, String(u.pValue));
    const none = upliftOf({ subscribers: 500, responders: 50 }, { subscribers: 500, responders: 50 });
    assert.equal(none.uplift, 0);
    assert.ok(Math.abs(none.pValue! - 1) < 1e-6);
    assert.ok(none.ciLow! < 0 && none.ciHigh! > 0);
  });
});

describe('pilot, evaluation, rollout and knowledge', () => {
  let warehouse: Warehouse;
  const deps = campaignDeps();
  const maker = actor('alice', 'campaign_manager');
  const checker = actor('bob', 'approver');
  let id = '';
  before(async () => {
    warehouse = await openCampaignWarehouse(SUBSCRIBERS);
    await warehouse.run(
      `INSERT INTO channel_opt_outs (msisdn, since, via) VALUES ('13800000007', '2026-01-01', 'sms')`,
    );
    const c = await createCampaign(
      warehouse,
      validateContent({
        name: 'music pilot',
        service: 'music',
        message: {
          text: '音乐包首月免费',
          variants: [{ when: { attribute: 'brand', in: ['mzone'] }, text: '动感地带专享：音乐包首月免费' }],
        },
        audience: { all: [] },
        schedule: { start: '2026-04-01' },
        costPerMessageYuan: 0.05,
        pilot: { share: 0.5, controlShare: 0.2 },
      }),
      maker,
      deps,
    );
    id = c.id;
    await approveCampaign(warehouse, id, checker, deps);
  });
  after(() => warehouse.close());

  it('draws a stable random sample, keeps a control group and leaves the global control group out', async () => {
    const started = await startPilot(warehouse, id, maker, deps);
    assert.equal(started.audienceSize, SUBSCRIBERS);
    const eligible = SUBSCRIBERS - started.globalControl;
    assert.ok(
      started.globalControl > 60 && started.globalControl < 180,
      `2 % global control: ${started.globalControl}`,
    );
    assert.equal(started.contacted + started.control, Math.round(eligible * 0.5));
    const share = started.control / (started.contacted + started.control);
    assert.ok(share > 0.17 && share < 0.23, `control share ${share}`);
    const rows = await warehouse.all<{ msisdn: string; grp: string; message_id: string | null }>(
      'SELECT msisdn, grp, message_id FROM campaign_assignments WHERE campaign_id = ? ORDER BY msisdn',
      [id],
    );
    assert.equal(rows.length, started.contacted + started.control);
    assert.ok(rows.every((r) => !inGlobalControlGroup(r.msisdn, deps.channels.policy.controlGroupShare)));
    // Stable: the same draw from the same audience, whatever the order it comes in.
    const audience = Array.from({ length: SUBSCRIBERS }, (_, i) => `138${String(i).padStart(8, '0')}`).reverse();
    const again = assignGroups(audience, {
      campaignId: id,
      round: 1,
      share: 0.5,
      controlShare: 0.2,
      globalControlShare: deps.channels.policy.controlGroupShare,
    });
    assert.deepEqual(new Set(again.control), new Set(rows.filter((r) => r.grp === 'control').map((r) => r.msisdn)));
    // Control subscribers have no message; contacted ones have campaign|round|msisdn in the outbox.
    const outbox = await warehouse.all<{
      message_id: string;
      subscriber: string;
      service_id: string;
      text: string;
      status: string;
      reason: string | null;
    }>(
      `SELECT o.message_id, o.subscriber, o.service_id, o.text, o.status, o.reason FROM channel_outbox o WHERE source = 'campaign' AND source_ref = ?`,
      [id],
    );
    assert.equal(outbox.length, started.contacted);
    const control = new Set(rows.filter((r) => r.grp === 'control').map((r) => r.msisdn));
    assert.ok(
      outbox.every(
        (o) => !control.has(o.subscriber) && o.message_id === `${id}|1|${o.subscriber}` && o.service_id === 'music',
      ),
    );
    // The per-segment variant: mzone subscribers (every third) get the mzone text.
    const mzone = outbox.find((o) => Number(o.subscriber.slice(3)) % 3 === 2)!;
    assert.equal(mzone.text, '动感地带专享：音乐包首月免费');
    // The contact policy judged them: the opted-out subscriber, if drawn, is skipped with its reason.
    const optedOut = outbox.find((o) => o.subscriber === '13800000007');
    if (optedOut) assert.equal(optedOut.reason, 'opted_out');
    assert.equal(started.queued + Object.values(started.skipped).reduce((a, b) => a + b, 0), started.contacted);
  });

  it('measures uplift against control from the loaded orders, within the response window only', async () => {
    await deliverAll(warehouse, id, '2026-04-01 10:05:00');
    const rows = await warehouse.all<{ msisdn: string; grp: string; status: string | null }>(
      `SELECT a.msisdn, a.grp, o.status FROM campaign_assignments a LEFT JOIN channel_outbox o USING (message_id)
       WHERE a.campaign_id = ?`,
      [id],
    );
    // Planted: contacted respond with 30 %, control with 10 % (by a hash draw), two days later;
    // a few more orders after the 7-day window must not count, nor orders of another service.
    const orders: { msisdn: string; ts: string; service: string; action?: 'subscribe' | 'unsubscribe' }[] = [];
    let expectedContacted = 0;
    let expectedControl = 0;
    let reached = 0;
    for (const r of rows) {
      const f = hashFraction(`respond|${r.msisdn}`);
      if (r.grp === 'contacted' && r.status === 'delivered') {
        reached++;
        if (f < 0.3) {
          orders.push({ msisdn: r.msisdn, ts: '2026-04-03 12:00:00', service: 'music' });
          expectedContacted++;
          if (f < 0.03)
            orders.push({ msisdn: r.msisdn, ts: '2026-04-20 12:00:00', service: 'music', action: 'unsubscribe' });
        }
      }
      if (r.grp === 'control' && f < 0.1) {
        orders.push({ msisdn: r.msisdn, ts: '2026-04-03 12:00:00', service: 'music' });
        expectedControl++;
      }
      if (f > 0.95) orders.push({ msisdn: r.msisdn, ts: '2026-04-09 12:00:00', service: 'music' });
      if (f > 0.9 && f < 0.95) orders.push({ msisdn: r.msisdn, ts: '2026-04-03 12:00:00', service: 'news' });
    }
    await addOrders(warehouse, orders);
    const e = await evaluateCampaign(warehouse, id, checker, deps);
    assert.equal(e.contacted, reached);
    assert.equal(e.control, rows.filter((r) => r.grp === 'control').length);
    assert.equal(e.responders_contacted, expectedContacted);
    assert.equal(e.responders_control, expectedControl);
    assert.ok(e.uplift! > 15 && e.uplift! < 25, `uplift ${e.uplift}`);
    assert.ok(e.ci_low! > 0 && e.ci_low! < e.uplift! && e.ci_high! > e.uplift!);
    assert.ok(e.p_value! < 0.001);
    assert.ok(e.cancellations_contacted > 0 && e.cancellations_control === 0);
    assert.equal(e.funnel.delivered, reached);
    assert.equal(e.cost_yuan, Math.round(reached * 0.05 * 100) / 100);
    assert.ok(e.cost_per_incremental_order_yuan! > 0.05 && e.cost_per_incremental_order_yuan! < 0.5);
    assert.deepEqual(
      e.by_county.map((c) => c.county),
      ['东源', '和平', '源城', '龙川'],
    );
    assert.equal(
      e.by_brand.reduce((s, b) => s + b.responders_contacted, 0),
      expectedContacted,
    );
    // By day: nothing in the first day, everything from day 2 on (orders come ~2 days after contact).
    assert.equal(e.by_day[0]!.responders_contacted, 0);
    assert.equal(e.by_day[6]!.responders_contacted, expectedContacted);
    assert.equal(e.complete, true);
  });

  it('rolls out to everyone not yet in a round, with its own control, and closes into the knowledge base', async () => {
    const rollout = await startRollout(warehouse, id, maker, deps, { narrow: false });
    assert.equal(rollout.round, 2);
    assert.equal(
      rollout.earlierRounds,
      await warehouse.scalar('SELECT count(*) FROM campaign_assignments WHERE round = 1'),
    );
    assert.ok(rollout.control > 0 && rollout.contacted > rollout.control);
    const overlap = await warehouse.scalar(
      `SELECT count(*) FROM campaign_assignments a JOIN campaign_assignments b USING (campaign_id, msisdn)
       WHERE a.round = 1 AND b.round = 2`,
    );
    assert.equal(overlap, 0);
    await assert.rejects(closeCampaign(warehouse, 'C9999', maker, deps), /no campaign "C9999"/);
    const entry = await closeCampaign(warehouse, id, maker, deps, { lessons: '动感地带反应最好' });
    assert.equal(entry.result, 'positive');
    assert.equal(entry.season, 'spring');
    assert.equal(entry.lessons, '动感地带反应最好');
    assert.equal((await searchKnowledge(warehouse, { service: 'music', result: 'positive' })).length, 1);
    assert.equal((await searchKnowledge(warehouse, { service: 'news' })).length, 0);
    assert.equal((await searchKnowledge(warehouse, { text: '动感地带' })).length, 1);
    assert.equal((await searchKnowledge(warehouse, { season: 'winter' })).length, 0);
    const suggested = await suggestForService(warehouse, 'music');
    assert.equal(suggested[0]?.campaign_id, id);
  });
});

// The campaign pages in a real headless Chromium over a real server on the demo warehouse: the list
// and calendar, the campaign page with its funnel, uplift over time and breakdowns (Chinese labels,
// no raw status codes), a lifecycle button that calls the API, and the knowledge base search.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  approveCampaign,
  closeCampaign,
  createCampaign,
  evaluateCampaign,
  startPilot,
  validateContent,
} from '../../src/campaigns/index.ts';
import { hashFraction } from '../../src/shared/hash-fraction.ts';
import { actor, addOrders, campaignDeps, deliverAll } from '../campaigns/campaign-fixture.ts';
import { chromiumMissing, type Dashboard, startDashboard } from './dashboard-harness.ts';

describe('campaign pages in Chromium', { skip: chromiumMissing, timeout: 180_000 }, () => {
  let dashboard: Dashboard;
  let running = '';
  let closed = '';
  before(async () => {
    dashboard = await startDashboard();
    const { warehouse } = dashboard;
    const deps = campaignDeps();
    deps.clock.set('2026-03-31T02:00:00Z');
    const maker = actor('marketer1', 'campaign_manager');
    const checker = actor('approver1', 'approver');
    const content = (name: string, service: string) =>
      validateContent({
        name,
        service,
        message: { text: `${name}：首月免费` },
        audience: { all: [] },
        schedule: { start: '2026-03-31' },
        costPerMessageYuan: 0.05,
        pilot: { share: 0.8, controlShare: 0.3 },
      });
    for (const [name, service] of [
      ['音乐包体验', 'music'],
      ['游戏礼包', 'game'],
    ] as const) {
      const { id } = await createCampaign(warehouse, content(name, service), maker, deps);
      await approveCampaign(warehouse, id, checker, deps);
      await startPilot(warehouse, id, maker, deps);
      await deliverAll(warehouse, id, '2026-03-31 10:05:00');
      const members = await warehouse.all<{ msisdn: string; grp: string }>(
        'SELECT msisdn, grp FROM campaign_assignments WHERE campaign_id = ?',
        [id],
      );
      await addOrders(
        warehouse,
        members
          .filter((m) => hashFraction(`web|${m.msisdn}`) < (m.grp === 'contacted' ? 0.25 : 0.05))
          .map((m) => ({ msisdn: m.msisdn, ts: '2026-04-02 09:00:00', service })),
      );
      if (service === 'game') {
        await evaluateCampaign(warehouse, id, maker, deps, { discover: false });
        await closeCampaign(warehouse, id, maker, deps, { lessons: '游戏礼包对年轻人有效' });
        closed = id;
      } else running = id;
    }
  });
  after(async () => dashboard?.close());

  test('lists campaigns with Chinese statuses and a calendar, and opens the campaign page', async () => {
    const { page, errors } = await dashboard.openBare('/campaigns?month=2026-03');
    await page.waitForSelector('[data-testid=campaigns-page] >> text=游戏礼包');
    const text = await page.textContent('[data-testid=campaigns-page]');
    assert.match(text ?? '', /音乐包体验/);
    assert.match(text ?? '', /试点中/);
    assert.match(text ?? '', /已结束/);
    assert.doesNotMatch(text ?? '', /\bpilot\b|\bclosed\b/, 'no raw status codes in the Chinese page');
    const calendar = await page.textContent('[data-testid=campaign-calendar]');
    assert.match(calendar ?? '', /活动日历 2026-03/);
    assert.match(calendar ?? '', /音乐包体验/);
    await page.click('text=音乐包体验 >> nth=0');
    await page.waitForSelector('[data-testid=campaign-uplift]');
    assert.match(page.url(), new RegExp(`id=${running}`));
    const uplift = (await page.textContent('[data-testid=campaign-uplift]')) ?? '';
    const [, value] = /提升 ([\d.-]+) 个百分点/.exec(uplift) ?? [];
    assert.ok(Number(value) > 10 && Number(value) < 30, uplift);
    for (const chart of ['campaign-funnel', 'campaign-uplift-over-time', 'campaign-by-county', 'campaign-by-brand'])
      assert.ok(await page.$(`[data-testid=${chart}] canvas`), chart);
    assert.equal(await page.textContent('[data-testid=campaign-status]'), '试点中');
    // Evaluate from the page: the API stores the evaluation and the status follows.
    await page.click('[data-testid=action-evaluate]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=campaign-status]')?.textContent === '已评估',
      undefined,
      { timeout: 20_000 },
    );
    // A step that is not possible now is refused with the API's words, shown on the page.
    await page.click('[data-testid=action-approve]');
    await page.waitForSelector('[data-testid=action-problem]');
    assert.match((await page.textContent('[data-testid=action-problem]')) ?? '', /cannot approve now/);
    const history = (await page.textContent('[data-testid=campaign-page]')) ?? '';
    assert.match(history, /marketer1/);
    assert.match(history, /approver1/);
    assert.deepEqual(
      errors.filter((e) => !/40\d/.test(e)),
      [],
    );
    await page.close();
  });

  test('searches the knowledge base', async () => {
    const { page } = await dashboard.openBare('/campaigns/knowledge');
    await page.waitForSelector(`text=${closed}`);
    await page.fill('[data-testid=knowledge-service]', 'music');
    await page.waitForFunction((id) => !document.body.textContent?.includes(id), closed, { timeout: 10_000 });
    await page.fill('[data-testid=knowledge-service]', '');
    await page.fill('[data-testid=knowledge-text]', '年轻人');
    await page.waitForSelector(`text=${closed}`);
    assert.match((await page.textContent('[data-testid=campaign-knowledge-page]')) ?? '', /有效|无显著效果/);
    await page.close();
  });
});

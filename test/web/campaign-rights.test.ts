// Buttons that need a right, in a real headless Chromium with real sign-in: an analyst (campaigns.read
// only) sees a running campaign and the audiences without any lifecycle, pause, save or export button;
// a campaign manager (campaigns.write, not campaigns.approve) sees no approve button, pauses the
// campaign from the page (its messages held) and resumes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount } from '../../src/access/index.ts';
import { saveAudience } from '../../src/campaigns/audiences/index.ts';
import { approveCampaign, createCampaign, startPilot, validateContent } from '../../src/campaigns/index.ts';
import { actor, campaignDeps } from '../campaigns/campaign-fixture.ts';
import { chromiumMissing, type Dashboard, startDashboard } from './dashboard-harness.ts';

const password = 'browser-test-password';

async function signIn(page: Page, username: string): Promise<void> {
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=login-submit]');
}

describe('buttons follow the rights of the signed-in user', { skip: chromiumMissing, timeout: 180_000 }, () => {
  let dashboard: Dashboard;
  let id = '';
  before(async () => {
    dashboard = await startDashboard({ access: {} });
    const { warehouse } = dashboard;
    for (const [username, roles] of [
      ['viewer', ['analyst']],
      ['li', ['campaign_manager']],
    ] as const)
      await createAccount(warehouse, campaignDeps().clock, { username, password, roles: [...roles] });
    const deps = campaignDeps();
    deps.clock.set('2026-03-31T02:00:00Z');
    const created = await createCampaign(
      warehouse,
      validateContent({
        name: '音乐包暂停测试',
        service: 'music',
        message: { text: '音乐包首月免费' },
        audience: { all: [] },
        schedule: { start: '2026-03-31' },
        pilot: { share: 0.2, controlShare: 0.2 },
      }),
      actor('marketer1', 'campaign_manager'),
      deps,
    );
    id = created.id;
    await approveCampaign(warehouse, id, actor('approver1', 'approver'), deps);
    await startPilot(warehouse, id, actor('marketer1', 'campaign_manager'), deps);
    await saveAudience(warehouse, {
      name: '动感地带',
      definition: { attribute: 'brand', in: ['mzone'] },
      createdBy: 'marketer1',
      clock: deps.clock,
    });
  });
  after(async () => dashboard?.close());

  test('an analyst sees the campaign and the audiences but no button that needs campaigns.write', async () => {
    const { page } = await dashboard.openBare(`/campaigns?id=${id}`);
    await signIn(page, 'viewer');
    await page.waitForSelector('[data-testid=campaign-title]');
    await page.waitForSelector('[data-testid=campaign-uplift]');
    assert.equal(await page.locator('[data-testid=campaign-actions] button').count(), 0);
    await page.goto(`${dashboard.url}/campaigns/audiences`);
    await page.waitForSelector('[data-testid=audience-read-only]');
    await page.waitForSelector('text=动感地带');
    assert.equal(await page.locator('[data-testid=audience-save]').count(), 0);
    assert.equal(await page.locator('[data-testid=audience-export]').count(), 0);
    await page.close();
  });

  test('a campaign manager has no approve button, and pauses and resumes from the page', async () => {
    const { page } = await dashboard.openBare(`/campaigns?id=${id}`);
    await signIn(page, 'li');
    await page.waitForSelector('[data-testid=action-pause]');
    assert.equal(await page.locator('[data-testid=action-approve]').count(), 0);
    assert.equal(await page.locator('[data-testid=action-resume]').count(), 0);
    await page.click('[data-testid=action-pause]');
    await page.waitForSelector('[data-testid=campaign-paused-note]');
    const note = (await page.textContent('[data-testid=campaign-paused-note]')) ?? '';
    const held = await dashboard.warehouse.scalar(
      `SELECT count(*) FROM channel_outbox WHERE source_ref = ? AND status = 'held'`,
      [id],
    );
    assert.ok(held > 0);
    assert.match(note, new RegExp(`li 于 .* 暂停发送，${held} 条待发短信暂缓发送`));
    assert.equal(await page.locator('[data-testid=action-pause]').count(), 0);
    await page.click('[data-testid=action-resume]');
    await page.waitForSelector('[data-testid=action-pause]');
    assert.equal(await page.locator('[data-testid=campaign-paused]').count(), 0);
    assert.equal(
      await dashboard.warehouse.scalar(`SELECT count(*) FROM channel_outbox WHERE source_ref = ? AND status = 'held'`, [
        id,
      ]),
      0,
    );
    const history = (await page.textContent('[data-testid=campaign-page]')) ?? '';
    assert.match(history, /暂停发送/);
    assert.match(history, /恢复发送/);
    await page.close();
  });
});

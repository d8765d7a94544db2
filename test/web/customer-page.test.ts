// The agent's customer page in a real headless Chromium, driven by the keyboard alone: sign in
// (type, Tab, type, Enter), the number field has focus, a wrong number is explained, a pasted number
// with spaces + Enter shows the profile, ↓ and 1 record an outcome, / returns to the number; English too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount } from '../../src/access/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { refreshCustomerFacts } from '../../src/warehouse/load/index.ts';
import { interestingSubscribers } from '../customers/customer-fixture.ts';
import { chromiumMissing, type Dashboard, startDashboard } from './dashboard-harness.ts';

const password = 'agent-browser-password';

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');

async function signInByKeyboard(page: Page, username: string): Promise<void> {
  await page.waitForSelector('[data-testid=login-form]');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

describe('customer page in Chromium, keyboard only', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  let msisdn: string;
  before(async () => {
    dashboard = await startDashboard({ access: {} });
    await dashboard.warehouse.write((tx) => refreshCustomerFacts(tx));
    // A customer who can be offered something (active, not opted out), with use to show.
    msisdn = (await interestingSubscribers(dashboard.warehouse)).busy!;
    await createAccount(dashboard.warehouse, systemClock, { username: 'agent-zhou', password, roles: ['agent'] });
  });
  after(async () => {
    await dashboard?.close();
  });

  const views = () =>
    dashboard.warehouse.scalar(`SELECT count(*) FROM audit_log WHERE action = 'GET /api/customers/:msisdn'`);

  test('sign in, paste a number, Enter, record an outcome with one key (zh)', async () => {
    const { page, errors } = await dashboard.openBare('/customer');
    await signInByKeyboard(page, 'agent-zhou');
    await page.waitForSelector('[data-testid=customer-form]');
    assert.equal(await focusedTestId(page), 'customer-number', 'the number field has focus on load');
    assert.match(
      (await page.textContent('[data-testid=customer-keys]')) ?? '',
      /1 接受 · 2 拒绝 · 3 不感兴趣 · 4 稍后回电/,
    );

    await page.keyboard.type('1380013800');
    await page.keyboard.press('Enter');
    assert.match((await page.textContent('[data-testid=customer-problem]')) ?? '', /号码有 10 位，手机号应为 11 位/);

    const before = await views();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(` ${msisdn.slice(0, 3)} ${msisdn.slice(3, 7)} ${msisdn.slice(7)} `);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=customer-msisdn]');
    assert.equal(await page.textContent('[data-testid=customer-msisdn]'), msisdn, 'the full number asked for');
    assert.equal((await views()) - before, 1, 'one audit row for the view');
    assert.equal(await focusedTestId(page), 'results', 'the profile has the keyboard');
    const summary = (await page.textContent('[data-testid=customer-summary]')) ?? '';
    assert.match(summary, /品牌/);
    assert.match(summary, /¥\d+\.\d\d/);
    assert.match((await page.textContent('[data-testid=customer-churn]')) ?? '', /流失风险/);
    assert.match((await page.textContent('[data-testid=customer-usage]')) ?? '', /次使用/);
    const offers = await page.$$('[data-testid^=offer-]');
    assert.ok(offers.length >= 2, 'offers are shown');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('1');
    await page.waitForSelector('[data-testid=offer-2-outcome]');
    assert.match((await page.textContent('[data-testid=customer-notice]')) ?? '', /已记录：.+ — 接受/);
    const row = await dashboard.warehouse.one<{ outcome: string; agent: string; offer_rank: number }>(
      'SELECT outcome, agent, offer_rank FROM customer_outcomes WHERE msisdn = ? ORDER BY outcome_id DESC LIMIT 1',
      [msisdn],
    );
    assert.deepEqual(row, { outcome: 'accepted', agent: 'agent-zhou', offer_rank: 2 });

    await page.keyboard.press('/');
    assert.equal(await focusedTestId(page), 'customer-number', '/ returns to the number');
    assert.deepEqual(
      errors.filter((e) => !/status of (401|400)/.test(e)),
      [],
    );
    await page.close();
  });

  test('the page in English, from the keyboard', async () => {
    const { page } = await dashboard.openBare('/customer');
    await page.evaluate(() => localStorage.setItem('telmark.lang', 'en'));
    await page.reload();
    await signInByKeyboard(page, 'agent-zhou');
    await page.waitForSelector('[data-testid=customer-form]');
    assert.equal(await focusedTestId(page), 'customer-number');
    await page.keyboard.insertText(msisdn);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=customer-msisdn]');
    assert.match((await page.textContent('[data-testid=customer-keys]')) ?? '', /1 accepted · 2 declined/);
    assert.match((await page.textContent('[data-testid=customer-churn]')) ?? '', /churn risk/);
    await page.keyboard.press('4');
    await page.waitForSelector('[data-testid=offer-1-outcome]');
    assert.match((await page.textContent('[data-testid=customer-notice]')) ?? '', /Recorded: .+ — call back/);
    await page.close();
  });
});

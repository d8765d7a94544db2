// Signing in to the dashboard in a real headless Chromium: the login page (zh by default, en on request),
// wrong passwords refused, the navigation limited to the pages of the user's roles, the CSRF header on a
// rule change from the page, sign-out back to the login page, and the audit page for an admin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount, listAudit } from '../../src/access/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

const password = 'browser-test-password';

/** Console errors other than the 401 of the session check that precedes signing in. */
const unexpected = (errors: readonly string[], allowed = /status of 401/) => errors.filter((e) => !allowed.test(e));

async function signIn(page: Page, username: string, secret = password): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', secret);
  await page.click('[data-testid=login-submit]');
}

async function navPaths(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid^="nav-"]', (links) =>
    links.map((a) => (a.getAttribute('data-testid') ?? '').slice('nav-'.length)),
  );
}

describe('login and role-limited dashboard in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard({ access: {} });
    for (const [username, roles] of [
      ['wang', ['analyst']],
      ['li', ['campaign_manager']],
      ['root', ['admin']],
    ] as const)
      await createAccount(dashboard.warehouse, systemClock, { username, password, roles: [...roles] });
  });
  after(async () => {
    await dashboard?.close();
  });

  test('the dashboard opens on the login page in Chinese, refuses a wrong password, and switches to English', async () => {
    const { page, errors } = await dashboard.openBare('/analysis/tariff');
    await page.waitForSelector('[data-testid=login-form]');
    assert.match((await page.textContent('[data-testid=login-form]')) ?? '', /请登录/);
    assert.equal(await page.locator('[data-testid^="nav-"]').count(), 0);
    await signIn(page, 'wang', 'not-the-password');
    await page.waitForSelector('[data-testid=login-error]');
    assert.match((await page.textContent('[data-testid=login-error]')) ?? '', /用户名或密码错误/);
    await page.click('[data-testid=lang-switch]');
    assert.match((await page.textContent('[data-testid=login-form]')) ?? '', /Please sign in/);
    await page.click('[data-testid=lang-switch]');
    // The session check and the failed sign-in answered 401; nothing else may fail on the page.
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });

  test('an analyst sees the analysis and mining pages, not the audit log; sign-out returns to the login', async () => {
    const { page, errors } = await dashboard.openBare('/analysis/tariff');
    await page.waitForSelector('[data-testid=login-form]');
    await signIn(page, 'wang');
    await waitForResults(page);
    const paths = await navPaths(page);
    assert.ok(paths.includes('/analysis/tariff'));
    assert.ok(paths.includes('/mining/rules'));
    assert.ok(paths.includes('/stream'));
    assert.ok(!paths.includes('/admin/audit'));
    assert.equal(new URL(page.url()).pathname, '/analysis/tariff');
    assert.match((await page.textContent('[data-testid=session-user]')) ?? '', /wang · analyst/);
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    assert.equal((await page.context().cookies()).filter((c) => c.name === 'telmark_session').length, 0);
    assert.deepEqual(unexpected(errors), []);
    await page.close();
  });

  test('a campaign manager pauses a rule from the page (the CSRF header goes along)', async () => {
    const { page, errors } = await dashboard.openBare('/stream');
    await page.waitForSelector('[data-testid=login-form]');
    await signIn(page, 'li');
    await page.waitForSelector('[data-testid=session-user]');
    const paths = await navPaths(page);
    assert.ok(paths.includes('/stream'));
    assert.ok(!paths.includes('/admin/audit'));
    const status = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const without = await fetch('/api/stream/rules/none/pause', { method: 'POST' });
      const withToken = await fetch('/api/stream/rules/none/pause', {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken },
      });
      return [without.status, withToken.status];
    });
    assert.deepEqual(status, [403, 404]);
    const rows = await listAudit(dashboard.warehouse, { actor: 'li' });
    assert.deepEqual(
      rows.filter((r) => r.action.startsWith('POST')).map((r) => r.outcome),
      ['404', '403'],
    );
    assert.deepEqual(unexpected(errors, /status of 40[134]/), []);
    await page.close();
  });

  test('an admin sees only the users and audit pages: adds a user, then finds it in the audit log', async () => {
    const { page, errors } = await dashboard.openBare('/');
    await page.waitForSelector('[data-testid=login-form]');
    await signIn(page, 'root');
    await waitForResults(page);
    assert.deepEqual(await navPaths(page), ['/admin/users', '/admin/audit']);
    await page.fill('input[name=new-user]', 'zhao');
    await page.click('[data-testid=user-add] button[type=submit]');
    await page.waitForSelector('[data-testid=new-password]');
    assert.match((await page.textContent('[data-testid=new-password]')) ?? '', /zhao: \S{16}/);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=users-table]')?.textContent?.includes('zhao'),
    );
    await page.click('[data-testid="nav-/admin/audit"]');
    await waitForResults(page);
    assert.match((await page.textContent('[data-testid=audit-chain]')) ?? '', /审计链完整/);
    const cells = await page.locator('[data-testid=data-table] tbody tr').allTextContents();
    assert.ok(cells.some((row) => /wang/.test(row) && /login/.test(row)));
    assert.ok(cells.some((row) => /root/.test(row) && /POST \/api\/access\/users/.test(row)));
    // The table's value labels ask /api/dimensions, which an admin alone may not read (403, labels fall back).
    assert.deepEqual(unexpected(errors, /status of 40[13]/), []);
    await page.close();
  });
});

// The mining pages speak to a marketer, in real headless Chromium over the generated demo: segments are
// named from their profile in Chinese and English (never #0), the model page opens on the best model,
// tells a model below its baseline in words, gives its reasons in Chinese without English words, and
// lets a user with `mining.train` train from the page without being sent to a command line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fitCrossSellModels } from '../../src/mining/telecom/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { chromiumMissing, type Dashboard, startDashboard } from './dashboard-harness.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('mining pages in words', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('segments are named from their profile in both languages, never #0', async () => {
    const { page, errors } = await dashboard.openBare('/mining/segments');
    const table = page.locator('[data-testid=mining-segments-page] [data-testid=data-table]');
    await table.waitFor({ timeout: 60_000 });
    const namesZh = await table.locator('tbody tr td:first-child').allTextContents();
    assert.ok(namesZh.length >= 2, namesZh.join(' | '));
    for (const name of namesZh) {
      assert.doesNotMatch(name, /#\d/);
      assert.match(name, CJK, name);
    }
    assert.equal(new Set(namesZh).size, namesZh.length, 'names are unique');
    const profiles = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    for (const profile of profiles) assert.doesNotMatch(profile, /[a-z]+_[a-z]+|monthly_bill|plan_fee/, profile);
    assert.match(profiles.join(''), /¥\d/, 'money with ¥');

    await page.locator('[data-testid=lang-switch]').click();
    await page.locator('th', { hasText: 'Segment' }).waitFor();
    const namesEn = await table.locator('tbody tr td:first-child').allTextContents();
    assert.equal(namesEn.length, namesZh.length);
    for (const name of namesEn) {
      assert.doesNotMatch(name, CJK, name);
      assert.doesNotMatch(name, /#\d/);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the model page opens on the best model, flags one below its baseline, and tells reasons in Chinese', async () => {
    const { page, errors } = await dashboard.openBare('/mining/models');
    // No model yet: no command line to run, a button to train instead.
    await page.locator('[data-testid=no-models]').waitFor({ timeout: 30_000 });
    assert.doesNotMatch((await page.locator('[data-testid=mining-models-page]').textContent()) ?? '', /telmark|命令/);
    await page.locator('[data-testid=train-button]').waitFor();
    assert.deepEqual(errors, []);
    await page.close();

    await fitCrossSellModels(dashboard.warehouse, { clock: fixedClock('2026-04-01T00:00:00Z') });
    // A later churn model below its baseline, listed first (newest): the page must not open on it.
    await dashboard.warehouse.run(
      `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json)
       VALUES ('churn-weak', 'churn', 'tree', TIMESTAMP '2026-04-02 00:00:00', 1000, 0.55, 0.61, 'holdout 30 %', '{}')`,
    );
    const opened = await dashboard.openBare('/mining/models');
    const title = opened.page.locator('[data-testid=model-report-title]');
    await title.waitFor({ timeout: 30_000 });
    assert.match((await title.textContent()) ?? '', /交叉销售.*(最佳)/);
    const reasons = await opened.page.locator('[data-testid=model-reasons] li').allTextContents();
    assert.ok(reasons.length >= 3, reasons.join(' | '));
    for (const reason of reasons) {
      assert.doesNotMatch(reason, /[A-Za-z]/, reason);
      assert.match(reason, CJK);
    }
    await opened.page.locator('tbody tr', { hasText: '流失预测' }).click();
    const verdict = opened.page.locator('[data-testid=model-verdict][data-beats-baseline=false]');
    await verdict.waitFor({ timeout: 20_000 });
    assert.match((await verdict.textContent()) ?? '', /不如基线/);
    assert.deepEqual(opened.errors, []);
    await opened.page.close();
  });

  test('a user with the right trains the churn model from the page', async () => {
    const { page, errors } = await dashboard.openBare('/mining/models');
    await page.locator('[data-testid=train-button]').click();
    const result = page.locator('[data-testid=train-result]');
    await result.waitFor({ timeout: 120_000 });
    const told = (await result.textContent()) ?? '';
    assert.match(told, /已训练/);
    // Kept only when it beats its baseline, and the page says which.
    const kept = await dashboard.warehouse.scalar(
      `SELECT count(*) FROM mining_models WHERE purpose = 'churn' AND model_version <> 'churn-weak'`,
    );
    assert.equal(kept, told.includes('已训练并保存') ? 1 : 0, told);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

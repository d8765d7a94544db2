// The audience builder in a real headless Chromium over a real server on the demo warehouse: two
// conditions built with the forms, the live size equal to the API's, a nested any/not group, saving.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

describe('audience builder in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  const apiSize = async (definition: unknown): Promise<number> => {
    const response = await fetch(`${dashboard.url}/api/audiences/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ definition }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { size: number }).size;
  };

  test('two conditions give the API size, a nested group narrows it, and the audience is saved', async () => {
    const { page, errors } = await dashboard.open('/campaigns/audiences');
    const sizeIs = async (expected: number) => {
      await page.waitForFunction(
        (n) => {
          const results = document.querySelector('[data-testid=results]');
          const size = document.querySelector('[data-testid=audience-size]')?.textContent ?? '';
          return results?.getAttribute('data-loading') === 'false' && size.replace(/\D/g, '') === String(n);
        },
        expected,
        { timeout: 20_000 },
      );
    };
    await sizeIs(await apiSize({ all: [] }));

    // 品牌 = 动感地带
    await page.click('[data-testid=add-condition]');
    const first = page.locator('[data-testid=audience-condition]').nth(0);
    await first.locator('[data-testid=condition-field]').selectOption('attribute:brand');
    await first.getByLabel('动感地带').check();
    // 年龄 < 25
    await page.locator('[data-testid=add-condition]').first().click();
    const second = page.locator('[data-testid=audience-condition]').nth(1);
    await second.locator('[data-testid=condition-field]').selectOption('attribute:age');
    await second.locator('[data-testid=condition-high]').fill('25');
    const young = {
      all: [
        { attribute: 'brand', in: ['mzone'] },
        { attribute: 'age', between: [null, 25] },
      ],
    };
    const expected = await apiSize(young);
    assert.ok(expected > 0);
    await sizeIs(expected);
    await waitForResults(page);
    const pageText = (await page.locator('[data-testid=audience-page]').textContent()) ?? '';
    assert.match(pageText, /动感地带/);
    assert.doesNotMatch(pageText, /\bmzone\b/);

    // and not (holds the first service) in a nested group
    await page.locator('[data-testid=add-group]').first().click();
    const group = page.locator('[data-testid=audience-group]').nth(1);
    await group.locator('[data-testid=add-condition]').click();
    const third = group.locator('[data-testid=audience-condition]');
    await third.locator('[data-testid=condition-field]').selectOption('holds');
    const service = await third.locator('[data-testid=condition-service] option').nth(1).getAttribute('value');
    await third.locator('[data-testid=condition-service]').selectOption(service!);
    await group.locator('.audience-not').first().locator('input').check();
    const narrowed = await apiSize({ all: [...young.all, { not: { any: [{ holds: service }] } }] });
    assert.ok(narrowed < expected, `${narrowed} < ${expected}`);
    await sizeIs(narrowed);

    await page.fill('[data-testid=audience-name]', '年轻动感未订购');
    await page.click('[data-testid=audience-save]');
    await page.locator('[data-testid=audience-saved]').waitFor();
    const list = (await (await fetch(`${dashboard.url}/api/audiences`)).json()) as {
      audiences: { id: number; name: string }[];
    };
    const saved = list.audiences.find((a) => a.name === '年轻动感未订购');
    assert.ok(saved);
    const versions = (await (await fetch(`${dashboard.url}/api/audiences/${saved.id}`)).json()) as {
      versions: { definition: unknown }[];
    };
    assert.equal(await apiSize(versions.versions[0]!.definition), narrowed);
    const exportLink = page.locator('[data-testid=audience-export]', { hasText: '年轻动感未订购' });
    await exportLink.waitFor();
    assert.equal(await exportLink.getAttribute('href'), `/api/audiences/${saved.id}/export`);

    // loaded back into the forms from a fresh page: the same size, saved again as version 2
    const again = await dashboard.open('/campaigns/audiences');
    await again.page.locator('[data-testid=audience-load]', { hasText: '年轻动感未订购' }).click();
    await again.page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=results]')?.getAttribute('data-loading') === 'false' &&
        (document.querySelector('[data-testid=audience-size]')?.textContent ?? '').replace(/\D/g, '') === String(n),
      narrowed,
      { timeout: 20_000 },
    );
    assert.equal(await again.page.locator('[data-testid=audience-condition]').count(), 3);
    await again.page.click('[data-testid=audience-save]');
    await again.page.getByText(`第 ${saved.id} 号客户群，第 2 版`).waitFor();
    assert.deepEqual(again.errors, []);
    await again.page.close();
    assert.deepEqual(errors, []);
    await page.close();
  });
});

// The live page's trigger rules in a real headless Chromium, over a server that runs a stream with the
// demo's example rule file as `npm start` does: a delete asks first and can be undone, the form and the
// JSON view show the same rule, and a rule edited on the page keeps its edit and its version when the
// server restarts over the same warehouse file (the example file is applied again at the restart).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing } from './dashboard-harness.ts';
import { type LiveDashboard, startLiveDashboard } from './live-dashboard.ts';

async function openRules(live: LiveDashboard): Promise<{ page: Page; errors: string[] }> {
  const opened = await live.open('/stream');
  await opened.page.locator('[data-testid=rule-hubs-114-not-12580]').waitFor({ timeout: 30_000 });
  return opened;
}

async function storedRule(live: LiveDashboard, id: string) {
  return live.warehouse.one<{ version: number; definition: string }>(
    'SELECT version, definition FROM stream_rules WHERE rule_id = ?',
    [id],
  );
}

describe('live page rules in Chromium', { skip: chromiumMissing }, () => {
  let live: LiveDashboard;
  before(async () => {
    live = await startLiveDashboard();
  });
  after(async () => {
    await live?.close();
  });

  test('a delete asks for a confirmation, and undo puts the rule back', async () => {
    const { page, errors } = await openRules(live);
    const row = page.locator('[data-testid=rule-station-leavers]');
    await row.locator('[data-testid=rule-delete]').click();
    await row.locator('[data-testid=rule-confirm]').waitFor();
    // Nothing is deleted until the confirmation.
    assert.ok(await storedRule(live, 'station-leavers'));
    assert.ok(live.session.engine.rules.get('station-leavers'));
    await row.locator('[data-testid=rule-confirm-delete]').click();
    await page.locator('[data-testid=rule-undo]').waitFor();
    await row.waitFor({ state: 'detached' });
    assert.equal(await storedRule(live, 'station-leavers'), undefined);
    assert.equal(live.session.engine.rules.get('station-leavers'), undefined);

    await page.locator('[data-testid=rule-undo-button]').click();
    await row.waitFor();
    const back = await storedRule(live, 'station-leavers');
    assert.ok(back);
    assert.equal(JSON.parse(back.definition).message.text, '一路平安!订阅手机报,随时了解河源新闻。【河源移动】');
    assert.ok(live.session.engine.rules.get('station-leavers'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the form and the JSON view agree both ways, and a saved edit raises the version', async () => {
    const { page, errors } = await openRules(live);
    await page.locator('[data-testid=rule-hubs-114-not-12580] [data-testid=rule-edit]').click();
    const form = page.locator('[data-testid=rule-form]');
    assert.equal(await form.locator('input[name=called]').inputValue(), '114');
    assert.equal(await form.locator('input[name=notCalled]').inputValue(), '12580');
    assert.equal(await form.locator('input[name=windowMin]').inputValue(), '30');
    await page.locator('input[name=show-json]').check();
    const json = page.locator('[data-testid=rule-draft]');
    // The JSON view writes durations as a person does (30m, 3d), not in seconds.
    const shown = JSON.parse(await json.inputValue());
    assert.equal(shown.behaviour.all[0].within, '30m');
    assert.equal(shown.response_window, '3d');

    // form → JSON
    await form.locator('input[name=windowMin]').fill('45');
    await form.locator('input[name=controlPct]').fill('20');
    const afterForm = JSON.parse(await json.inputValue());
    assert.deepEqual(
      [afterForm.behaviour.all[0].within, afterForm.behaviour.none[0].within, afterForm.control],
      ['45m', '45m', 0.2],
    );
    // JSON → form
    const edited = { ...afterForm, behaviour: { all: [{ event: 'call_out', peer: '114', within: '20m' }], none: [] } };
    await json.fill(JSON.stringify(edited, null, 2));
    assert.equal(await form.locator('input[name=windowMin]').inputValue(), '20');
    assert.equal(await form.locator('input[name=notCalled]').inputValue(), '');
    assert.equal(await form.locator('input[name=controlPct]').inputValue(), '20');
    await form.locator('textarea[name=variant-station]').fill('车站专属:拨打12580订票享优惠【河源移动】');

    await page.locator('[data-testid=rule-save]').click();
    await page.locator('[data-testid=rule-editor]').waitFor({ state: 'detached' });
    const stored = await storedRule(live, 'hubs-114-not-12580');
    assert.equal(stored?.version, 2);
    const definition = JSON.parse(stored!.definition);
    assert.equal(definition.behaviour.all[0].within, 1200);
    assert.deepEqual(definition.behaviour.none, []);
    assert.equal(definition.control, 0.2);
    assert.equal(definition.message.variants.station, '车站专属:拨打12580订票享优惠【河源移动】');
    assert.equal(live.session.engine.rules.get('hubs-114-not-12580')?.version, 2);
    await page
      .locator('[data-testid=rule-hubs-114-not-12580] [data-testid=rule-version]')
      .filter({ hasText: 'v2' })
      .waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a rule edited on the page survives a server restart with its version; a deleted one stays deleted', async () => {
    const { page } = await openRules(live);
    const row = page.locator('[data-testid=rule-campus-welcome-mzone]');
    await row.locator('[data-testid=rule-delete]').click();
    await row.locator('[data-testid=rule-confirm-delete]').click();
    await row.waitFor({ state: 'detached' });
    await page.close();

    await live.restart();
    const again = await openRules(live);
    const hubs = again.page.locator('[data-testid=rule-hubs-114-not-12580] [data-testid=rule-version]');
    assert.equal(await hubs.textContent(), 'v2');
    const rule = live.session.engine.rules.get('hubs-114-not-12580');
    assert.equal(rule?.version, 2);
    assert.equal(rule?.definition.message.variants.station, '车站专属:拨打12580订票享优惠【河源移动】');
    assert.equal(rule?.definition.behaviour.all[0]?.within, 1200);
    assert.equal(live.session.engine.rules.get('campus-welcome-mzone'), undefined);
    assert.equal(await again.page.locator('[data-testid=rule-campus-welcome-mzone]').count(), 0);
    // Rules the page did not touch are as the file says, still at version 1.
    assert.equal(live.session.engine.rules.get('shoppers-dwell-30m')?.version, 1);
    assert.deepEqual(again.errors, []);
    await again.page.close();
  });
});

// The model page's answers from the warehouse: models fitted when missing (what `npm start` runs), the
// best model and the verdict in words, reasons and offer reasons in both languages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listModels, readModelReport, readOffers, trainMissingModels } from '../../../src/mining/telecom/index.ts';
import { translateTreeRule } from '../../../src/mining/telecom/model-reports.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { miningDemoWarehouse } from './demo-operator-fixture.ts';

const clock = fixedClock('2026-04-02T08:00:00Z');

describe('model reports', () => {
  let fixture: Awaited<ReturnType<typeof miningDemoWarehouse>>;
  let warehouse: Warehouse;
  before(async () => {
    fixture = await miningDemoWarehouse();
    warehouse = await fixture.open();
  });
  after(() => {
    warehouse?.close();
    fixture?.remove();
  });

  it('fits the missing models once, then finds them and fits none', async () => {
    const notes: string[] = [];
    const first = await trainMissingModels(warehouse, { clock, note: (t) => notes.push(t) });
    assert.ok(
      first.trained.some((v) => v.startsWith('cross-sell')),
      first.trained.join(', '),
    );
    assert.ok(notes.some((n) => n.startsWith('churn model')));
    const fitted = await warehouse.scalar('SELECT count(*) FROM mining_models');
    // Churn is kept only when it beats its baseline; whatever was kept is not fitted again.
    const second = await trainMissingModels(warehouse, { clock, note: () => undefined });
    assert.deepEqual(second.trained, []);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM mining_models'), fitted);
  });

  it('names the best model and flags one below its baseline in words, in both languages', async () => {
    await warehouse.run(
      `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json)
       VALUES ('churn-weak', 'churn', 'tree', TIMESTAMP '2026-05-01 00:00:00', 1000, 0.55, 0.61, 'holdout', '{}')`,
    );
    const { models, best } = await listModels(warehouse);
    assert.equal(models[0]?.model_version, 'churn-weak', 'newest first');
    assert.notEqual(best, 'churn-weak');
    const weak = models[0]!;
    assert.equal(weak.beatsBaseline, false);
    assert.match(weak.verdict.zh, /不如基线/);
    assert.match(weak.verdict.en, /below its baseline/);
  });

  it('tells a cross-sell model and an offer in both languages', async () => {
    const version = (await listModels(warehouse)).models.find((m) => m.purpose === 'cross-sell')!.model_version;
    const report = await readModelReport(warehouse, version);
    assert.ok(report.reasons.length > 0);
    for (const reason of report.reasons) {
      assert.doesNotMatch(reason.zh, /[A-Za-z]/, reason.zh);
      assert.doesNotMatch(reason.en, /[\u4e00-\u9fff]/, reason.en);
    }
    const someone = await warehouse.one<{ msisdn: string }>(
      'SELECT msisdn FROM mining_offers WHERE model_version = ? LIMIT 1',
      [version],
    );
    const offers = await readOffers(warehouse, someone!.msisdn);
    assert.ok(offers.length > 0);
    for (const offer of offers) {
      assert.doesNotMatch(offer.reasonText.zh, /[A-Za-z]/, offer.reasonText.zh);
      assert.doesNotMatch(offer.reasonText.en, /[\u4e00-\u9fff]/, offer.reasonText.en);
    }
  });

  it('tells a tree rule in words, and leaves out one it cannot tell', () => {
    assert.deepEqual(translateTreeRule('tenure_days < 120 and brand = mzone → 1, 64 %, n=85', 'churn'), {
      zh: '在网时长低于 120,且品牌为动感地带:64% 流失(85 位用户)',
      en: 'time on the network below 120 and brand is M-Zone: 64 % churn (85 subscribers)',
    });
    assert.equal(translateTreeRule('mystery_field = xyz → 1, 50 %, n=3', 'churn'), undefined);
  });
});

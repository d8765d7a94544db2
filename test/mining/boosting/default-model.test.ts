import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { GradientBoostingModel } from '../../../src/mining/boosting/gradient-boosting.ts';
import { trainOnTable } from '../../../src/mining/models/index.ts';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';
import { parseCsvTable } from '../../../src/mining/table/index.ts';

const bin = fileURLToPath(new URL('../../../bin/telmark.js', import.meta.url));

/**
 * A churn-like table with a known signal (complaints, falling usage, a contract flag, a threshold on
 * tenure, a value missing more often for churners) and two noise categoricals of 150 and 40 levels
 * that carry nothing: a model that learns the levels by heart loses AUC on fresh rows.
 */
function churnLikeTable(rows: number, seed: number, options: { signal: boolean }): string {
  const random = createSeededRandom(seed);
  const lines = ['msisdn,complaints,usage_trend,contract,tenure_months,arpu,cell_area,handset,churn'];
  for (let i = 0; i < rows; i++) {
    const complaints = random.int(6);
    const trend = random.normal();
    const contract = random.next() < 0.4 ? 'yes' : 'no';
    const tenure = random.int(120);
    const area = `area${random.int(150)}`;
    const handset = `model${random.int(40)}`;
    const z = options.signal
      ? -2.2 + 0.6 * complaints - 0.9 * trend + (contract === 'yes' ? -1.2 : 0) + (tenure < 12 ? 1 : 0)
      : -1.5;
    const churned = random.next() < 1 / (1 + Math.exp(-z));
    const arpu = random.next() < (churned && options.signal ? 0.3 : 0.05) ? '' : (20 + random.next() * 150).toFixed(2);
    lines.push(
      [
        `139${String(i).padStart(8, '0')}`,
        complaints,
        trend.toFixed(3),
        contract,
        tenure,
        arpu,
        area,
        handset,
        churned ? 'yes' : 'no',
      ].join(','),
    );
  }
  return lines.join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'telmark-default-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the default gbdt model on tables it was not tuned on', () => {
  const train = parseCsvTable(churnLikeTable(4000, 11, { signal: true }), 'churn-like.csv');
  const test = parseCsvTable(churnLikeTable(4000, 12, { signal: true }), 'churn-like-test.csv');

  it('finds the signal past many-level noise categoricals, close to the logistic model of the true form', (t) => {
    const options = { target: 'churn', seed: 1, testFraction: 0.2, testTable: test, threshold: 0.5 } as const;
    const gbdt = trainOnTable(train, { ...options, model: 'gbdt' });
    const logistic = trainOnTable(train, { ...options, model: 'logistic' });
    t.diagnostic(
      `churn-like synthetic: held-out AUC gbdt ${gbdt.report.auc.toFixed(4)}, logistic ${logistic.report.auc.toFixed(4)}, ` +
        `${(gbdt.classifier as GradientBoostingModel).trees.length} trees kept`,
    );
    assert.ok(gbdt.report.auc > 0.8, `gbdt AUC ${gbdt.report.auc}`);
    assert.ok(
      gbdt.report.auc > logistic.report.auc - 0.02,
      `gbdt ${gbdt.report.auc} vs logistic ${logistic.report.auc}`,
    );
    assert.ok(gbdt.verdict.beatsBaseline);
    // the noise categoricals get some small late splits (under a tenth of the gain each), fewer than
    // the strong signal columns; a boolean such as contract needs one split and so ranks low by gain
    const rank = (feature: string) => gbdt.importance.findIndex((i) => i.feature === feature);
    for (const noise of ['cell_area', 'handset']) {
      assert.ok(gbdt.importance[rank(noise)]!.importance < 0.1, JSON.stringify(gbdt.importance));
      for (const signal of ['complaints', 'usage_trend'])
        assert.ok(rank(noise) > rank(signal), `${noise} below ${signal}: ${JSON.stringify(gbdt.importance)}`);
    }
    const missing = gbdt.importance.find((i) => i.feature === 'arpu')!;
    assert.ok(missing.importance > 0.02, `arpu (missing for churners) ${missing.importance}`);
  });

  it('chooses the number of trees by early stopping, and grows exactly the number asked for', () => {
    const early = trainOnTable(train, { target: 'churn', model: 'gbdt', seed: 1, testFraction: 0.2, threshold: 0.5 });
    const kept = (early.classifier as GradientBoostingModel).trees.length;
    assert.ok(kept > 10 && kept < 1000, `${kept} trees`);
    const asked = trainOnTable(train, {
      target: 'churn',
      model: 'gbdt',
      seed: 1,
      testFraction: 0.2,
      threshold: 0.5,
      params: { trees: 37 },
    });
    assert.equal((asked.classifier as GradientBoostingModel).trees.length, 37);
  });
});

describe('the baseline gate', () => {
  const noSignal = churnLikeTable(3000, 21, { signal: false });
  const file = join(dir, 'no-signal.csv');
  writeFileSync(file, noSignal);

  it('a table without signal is reported as not above the no-information baseline', () => {
    const outcome = trainOnTable(parseCsvTable(noSignal, 'no-signal.csv'), {
      target: 'churn',
      model: 'gbdt',
      seed: 1,
      testFraction: 0.3,
      threshold: 0.5,
    });
    assert.equal(
      outcome.verdict.beatsBaseline,
      false,
      `AUC ${outcome.report.auc} ± ${outcome.verdict.aucStandardError}`,
    );
    assert.equal(outcome.verdict.baselineAuc, 0.5);
  });

  it('telmark train does not write the model of such a table unless --force-write is given', () => {
    const model = join(dir, 'model.json');
    const run = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [bin, 'train', '--table', file, '--target', 'churn', '--save', model, '--format', 'json', ...extra],
        { encoding: 'utf8' },
      );
    const refused = run();
    assert.equal(refused.status, 0, refused.stderr);
    assert.equal(JSON.parse(refused.stdout).beats_baseline, false);
    assert.match(refused.stderr, /NOT saved/);
    assert.equal(existsSync(model), false);
    const forced = run('--force-write');
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal(existsSync(model), true);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rocAuc } from '../../../src/mining/evaluation/roc-auc.ts';
import { loadModelFile, saveModelFile, scoreTable, trainOnTable } from '../../../src/mining/models/index.ts';
import { encodeFeatures, readCsvTable } from '../../../src/mining/table/index.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/orange/', import.meta.url));
const train = readCsvTable(join(fixtures, 'orange-churn-80.csv'));
const test = readCsvTable(join(fixtures, 'orange-churn-20.csv'));
const churned = test.columns[test.header.indexOf('Churn')]!.map((v) => (v.toLowerCase() === 'true' ? 1 : 0));

function fitOnTrainScoreTest(model: 'gbdt' | 'logistic') {
  return trainOnTable(train, { target: 'Churn', model, seed: 1, testFraction: 0.2, testTable: test, threshold: 0.5 });
}

describe('Orange telecom churn (train on the 80 file, score the 20 file)', () => {
  const gbdt = fitOnTrainScoreTest('gbdt');

  it('the default model (gradient-boosted trees) reaches a held-out ROC AUC of at least 0.93', () => {
    assert.equal(gbdt.classifier.kind, 'gbdt');
    assert.ok(gbdt.report.auc >= 0.93, `AUC ${gbdt.report.auc}`);
  });

  it('beats the logistic baseline fitted in the same run', (t) => {
    const logistic = fitOnTrainScoreTest('logistic');
    t.diagnostic(
      `Orange churn: held-out AUC gbdt ${gbdt.report.auc.toFixed(3)}, logistic ${logistic.report.auc.toFixed(3)}`,
    );
    assert.ok(logistic.report.auc > 0.78, `logistic AUC ${logistic.report.auc}`);
    assert.ok(gbdt.report.auc > logistic.report.auc + 0.05);
  });

  it('reads both spellings of the target labels (FALSE/TRUE and False/True)', () => {
    assert.deepEqual(gbdt.schema.target, { name: 'Churn', positive: 'TRUE', negative: 'FALSE' });
    assert.equal(gbdt.report.rows, 667);
    assert.equal(gbdt.report.positives, churned.filter((y) => y === 1).length);
  });

  it('ranks the known churn drivers among the most important features', () => {
    const top = gbdt.importance.slice(0, 6).map((i) => i.feature);
    for (const driver of ['Total day minutes', 'Customer service calls', 'International plan'])
      assert.ok(top.includes(driver), `${driver} in ${top.join(', ')}`);
  });

  it('saves and loads the model with its schema; the loaded model scores the same', () => {
    const folder = mkdtempSync(join(tmpdir(), 'telmark-model-'));
    after(() => rmSync(folder, { recursive: true, force: true }));
    const path = join(folder, 'churn.json');
    saveModelFile(path, gbdt.modelFile);
    const loaded = loadModelFile(path);
    const scored = scoreTable(loaded, test);
    const direct = gbdt.classifier.predictProbabilities(encodeFeatures(test, gbdt.schema.features));
    assert.equal(scored.length, 667);
    for (let i = 0; i < scored.length; i++) assert.ok(Math.abs(scored[i]!.score - direct[i]!) < 1e-6);
    assert.ok(
      Math.abs(
        rocAuc(
          scored.map((r) => r.score),
          churned,
        ) - gbdt.report.auc,
      ) < 1e-6,
    );
    assert.ok(scored.some((r) => r.label === 'TRUE') && scored.some((r) => r.label === 'FALSE'));
  });
});

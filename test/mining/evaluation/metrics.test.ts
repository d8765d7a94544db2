import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  averagePrecision,
  confusionAt,
  gainTable,
  logLoss,
} from '../../../src/mining/evaluation/classification-metrics.ts';
import { rocAuc } from '../../../src/mining/evaluation/roc-auc.ts';
import { stratifiedFolds, stratifiedSplit } from '../../../src/mining/evaluation/stratified-split.ts';

describe('classification metrics', () => {
  it('computes ROC AUC by ranks with ties counting half', () => {
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
    assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
    assert.equal(rocAuc([0.9, 0.1], [1, 0]), 1);
  });

  it('computes average precision, log loss and the confusion matrix', () => {
    assert.equal(averagePrecision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]), (1 + 2 / 3) / 2);
    assert.ok(Math.abs(logLoss([0.5, 0.5], [0, 1]) - Math.LN2) < 1e-12);
    assert.deepEqual(confusionAt([0.9, 0.2, 0.6, 0.4], [1, 1, 0, 0], 0.5), {
      threshold: 0.5,
      truePositives: 1,
      falsePositives: 1,
      trueNegatives: 1,
      falseNegatives: 1,
    });
  });

  it('builds a gain and lift table by decile', () => {
    const scores = Array.from({ length: 100 }, (_, i) => 1 - i / 100);
    const labels = scores.map((_, i) => (i < 10 ? 1 : 0));
    const table = gainTable(scores, labels);
    assert.equal(table.length, 10);
    assert.equal(table[0]!.cumulativeGain, 1);
    assert.equal(table[0]!.lift, 10);
    assert.equal(table[9]!.lift, 1);
  });

  it('splits and folds keep the share of positives', () => {
    const labels = Uint8Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const split = stratifiedSplit(labels, 0.25, 1);
    assert.equal(split.test.length, 50);
    assert.equal(Array.from(split.test).filter((r) => labels[r] === 1).length, 10);
    const folds = stratifiedFolds(labels, 4, 1);
    for (const fold of folds) assert.equal(Array.from(fold.test).filter((r) => labels[r] === 1).length, 10);
    assert.equal(new Set(folds.flatMap((f) => Array.from(f.test))).size, 200);
  });
});

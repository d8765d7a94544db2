import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';
import type { BinnedData, FeatureBins } from '../../../src/mining/trees/feature-binning.ts';
import { growTree } from '../../../src/mining/trees/grow-tree.ts';
import { BIN_STRIDE, buildHistogram } from '../../../src/mining/trees/histogram-kernels.ts';

/**
 * Binned rows of 15 features (one pass of eight, one of four, one of two and a single one in the histogram
 * kernel): numeric ones with bin 0 (missing) now and then, the last two categorical of 12 levels; the
 * label depends on two numeric features and a categorical one.
 */
function binnedRows(rowCount: number, seed: number): { data: BinnedData; grad: Float64Array; hess: Float64Array } {
  const random = createSeededRandom(seed);
  const featureCount = 15;
  const featureBins: FeatureBins[] = Array.from({ length: featureCount }, (_, f) =>
    f >= 13
      ? { categorical: true, thresholds: new Float64Array(0), binCount: 13 }
      : { categorical: false, thresholds: Float64Array.from({ length: 40 }, (_, k) => k), binCount: 42 },
  );
  const bins = featureBins.map((spec, f) =>
    Uint8Array.from({ length: rowCount }, () =>
      !spec.categorical && f % 3 === 0 && random.next() < 0.1 ? 0 : 1 + random.int(spec.binCount - 1),
    ),
  );
  const grad = new Float64Array(rowCount);
  const hess = new Float64Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const z = (bins[1]![r]! > 20 ? 1 : -1) + (bins[4]![r]! - 20) / 10 + (bins[14]![r]! % 3 === 0 ? 1.5 : 0);
    const label = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    grad[r] = 0.4 - label;
    hess[r] = 0.24;
  }
  return { data: { rowCount, bins, featureBins }, grad, hess };
}

describe('growTree', () => {
  it('hands back each leaf’s rows, and walking the tree takes every one of them to that leaf', () => {
    const { data, grad, hess } = binnedRows(5000, 3);
    const rows = Uint32Array.from({ length: data.rowCount }, (_, r) => r);
    const grown = growTree(data, grad, hess, rows, {
      maxDepth: 5,
      minSamplesLeaf: 5,
      minHessian: 1,
      lambda: 1,
      minGain: 1e-9,
      leafScale: 0.1,
    });
    const { nodes, starts, ends } = grown.leaves;
    assert.ok(nodes.length > 8, `a tree with ${nodes.length} leaves`);
    const walked = new Float64Array(data.rowCount);
    grown.tree.addBinnedPredictions(data.bins, walked);
    const seen = new Uint8Array(data.rowCount);
    for (let k = 0; k < nodes.length; k++) {
      assert.equal(grown.tree.feature[nodes[k]!], -1, 'a leaf range ends in a leaf');
      for (let i = starts[k]!; i < ends[k]!; i++) {
        const r = rows[i]!;
        seen[r]!++;
        assert.equal(walked[r], grown.tree.value[nodes[k]!], `row ${r} walks to leaf ${nodes[k]}`);
      }
    }
    assert.ok(
      seen.every((count) => count === 1),
      'every row in exactly one leaf',
    );
  });
});

describe('buildHistogram', () => {
  it('sums the gradient, hessian and count of a node’s rows in every bin of every feature, in row order', () => {
    const { data, grad, hess } = binnedRows(3000, 5);
    const rows = Uint32Array.from({ length: 1200 }, (_, i) => i * 2 + (i % 3));
    const hist = new Float64Array(data.bins.length * BIN_STRIDE).fill(7);
    const input = {
      bins: data.bins,
      grad,
      hess,
      rows,
      orderedGrad: new Float64Array(rows.length),
      orderedHess: new Float64Array(rows.length),
    };
    buildHistogram(input, hist, 100, 1100);
    const expected = new Float64Array(hist.length);
    for (let f = 0; f < data.bins.length; f++)
      for (let i = 100; i < 1100; i++) {
        const r = rows[i]!;
        const k = f * BIN_STRIDE + data.bins[f]![r]! * 3;
        expected[k]! += grad[r]!;
        expected[k + 1]! += hess[r]!;
        expected[k + 2]!++;
      }
    assert.deepEqual(hist, expected);
  });
});

// Gradient-boosted trees for a binary target (logistic loss), on histogram bins: each round fits one
// tree to the gradients and hessians of the current scores, on a row subsample.
import {
  type BinaryClassifier,
  normaliseImportance,
  type ProgressCallback,
  sigmoid,
} from '../models/binary-classifier.ts';
import { createSeededRandom } from '../../shared/seeded-random.ts';
import type { FeatureTable } from '../table/index.ts';
import { DecisionTree, type DecisionTreeJson } from '../trees/decision-tree.ts';
import { type BinnedData, binFeatures, fitFeatureBins } from '../trees/feature-binning.ts';
import { growTree } from '../trees/grow-tree.ts';

export interface GradientBoostingOptions {
  trees: number;
  learningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessian: number;
  lambda: number;
  /** Fraction of rows each tree sees (sampled without replacement). */
  subsample: number;
  /** Fraction of features tried at each split. */
  featureFraction: number;
  /** Choose splits by squared-error reduction of the gradients (Friedman) rather than by Newton gain. */
  gainOnCounts: boolean;
  seed: number;
  onProgress?: ProgressCallback;
}

export const defaultGradientBoostingOptions: GradientBoostingOptions = {
  trees: 500,
  learningRate: 0.03,
  maxDepth: 4,
  minSamplesLeaf: 5,
  minHessian: 1e-3,
  lambda: 1,
  subsample: 0.8,
  featureFraction: 1,
  gainOnCounts: true,
  seed: 1,
};

export interface GradientBoostingJson {
  kind: 'gbdt';
  baseScore: number;
  trees: DecisionTreeJson[];
  importance: number[];
}

export class GradientBoostingModel implements BinaryClassifier {
  readonly kind = 'gbdt' as const;

  constructor(
    readonly baseScore: number,
    readonly trees: DecisionTree[],
    private readonly importance: Float64Array,
  ) {}

  predictScores(table: FeatureTable): Float64Array {
    const out = new Float64Array(table.rowCount).fill(this.baseScore);
    for (const tree of this.trees) tree.addPredictions(table.columns, out);
    return out;
  }

  predictProbabilities(table: FeatureTable): Float64Array {
    return this.predictScores(table).map(sigmoid);
  }

  featureImportance(): Float64Array {
    return this.importance;
  }

  toJSON(): GradientBoostingJson {
    return {
      kind: 'gbdt',
      baseScore: this.baseScore,
      trees: this.trees.map((t) => t.toJSON()),
      importance: Array.from(this.importance),
    };
  }

  static fromJSON(json: GradientBoostingJson): GradientBoostingModel {
    return new GradientBoostingModel(
      json.baseScore,
      json.trees.map((t) => DecisionTree.fromJSON(t)),
      Float64Array.from(json.importance),
    );
  }
}

export function trainGradientBoosting(
  table: FeatureTable,
  labels: Uint8Array,
  options: Partial<GradientBoostingOptions> = {},
): GradientBoostingModel {
  const data = binFeatures(table, fitFeatureBins(table));
  return trainGradientBoostingOnBins(data, labels, options);
}

export function trainGradientBoostingOnBins(
  data: BinnedData,
  labels: Uint8Array,
  overrides: Partial<GradientBoostingOptions> = {},
): GradientBoostingModel {
  const options = { ...defaultGradientBoostingOptions, ...overrides };
  const n = data.rowCount;
  const random = createSeededRandom(options.seed);
  let positives = 0;
  for (let r = 0; r < n; r++) positives += labels[r]!;
  const prior = Math.min(Math.max(positives / Math.max(1, n), 1e-6), 1 - 1e-6);
  const baseScore = Math.log(prior / (1 - prior));
  const scores = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const allRows = Uint32Array.from({ length: n }, (_, r) => r);
  const sampled = new Uint32Array(n);
  const importance = new Float64Array(data.bins.length);
  const trees: DecisionTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    for (let r = 0; r < n; r++) {
      const p = sigmoid(scores[r]!);
      grad[r] = p - labels[r]!;
      hess[r] = Math.max(p * (1 - p), 1e-16);
    }
    // each row joins this tree's sample with probability `subsample` (rows stay in order)
    let rows = allRows;
    if (options.subsample < 1) {
      let size = 0;
      for (let r = 0; r < n; r++) if (random.next() < options.subsample) sampled[size++] = r;
      rows = sampled.subarray(0, Math.max(1, size));
    }
    const grown = growTree(data, grad, hess, rows, {
      maxDepth: options.maxDepth,
      minSamplesLeaf: options.minSamplesLeaf,
      minHessian: options.minHessian,
      lambda: options.lambda,
      minGain: 1e-9,
      leafScale: options.learningRate,
      featureFraction: options.featureFraction,
      gainOnCounts: options.gainOnCounts,
      random,
    });
    for (let f = 0; f < importance.length; f++) importance[f]! += grown.gain[f]!;
    grown.tree.addBinnedPredictions(data.bins, scores);
    trees.push(grown.tree);
    options.onProgress?.(t + 1, options.trees, 'boosting');
  }
  return new GradientBoostingModel(baseScore, trees, normaliseImportance(importance));
}

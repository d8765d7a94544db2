// Gradient-boosted trees for a binary target (logistic loss), on histogram bins: each round fits one
// tree to the gradients and hessians of the current scores, on a row subsample.
import {
  type BinaryClassifier,
  normaliseImportance,
  type ProgressCallback,
  sigmoid,
} from '../models/binary-classifier.ts';
import { createSeededRandom } from '../../shared/seeded-random.ts';
import { stratifiedSplit } from '../evaluation/stratified-split.ts';
import type { FeatureTable } from '../table/index.ts';
import { DecisionTree, type DecisionTreeJson } from '../trees/decision-tree.ts';
import { type BinnedData, binFeatures, fitFeatureBins } from '../trees/feature-binning.ts';
import { type GrownTree, growTree } from '../trees/grow-tree.ts';
import { selectBinnedRows } from './select-binned-rows.ts';

export interface GradientBoostingOptions {
  /** Most trees; with early stopping, fewer are kept. */
  trees: number;
  learningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessian: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Fraction of rows each tree sees (sampled without replacement). */
  subsample: number;
  /** Fraction of features tried at each split. */
  featureFraction: number;
  /** Choose splits by squared-error reduction of the gradients (Friedman) rather than by Newton gain. */
  gainOnCounts: boolean;
  /**
   * Stop when the log loss of an internal validation split has not improved for this many trees and
   * keep the best count; 0 grows exactly `trees` trees on every row.
   */
  earlyStoppingRounds: number;
  /** Share of the rows held out (stratified) for early stopping. */
  validationFraction: number;
  /**
   * Tables up to this many rows are fitted again on every row with the number of trees found (a
   * small table cannot spare its validation rows); larger ones keep the model of the split.
   */
  refitBelowRows: number;
  seed: number;
  onProgress?: ProgressCallback;
}

/**
 * Defaults meant to hold on tables never seen, not tuned to one: a moderate learning rate with the
 * number of trees found by early stopping, a leaf needs a hessian sum of at least 1 (xgboost's min
 * child weight: about 7 rows at a 14 % churn rate, 40 at 2.5 %, so a rare level or a few noisy rows
 * cannot get a leaf of their own whatever the base rate), a firm L2 penalty on leaf values, row subsampling and half the
 * features tried at each split (correlated columns, such as minutes and charges, then share the work).
 */
export const defaultGradientBoostingOptions: GradientBoostingOptions = {
  trees: 1000,
  learningRate: 0.05,
  maxDepth: 6,
  minSamplesLeaf: 5,
  minHessian: 1,
  lambda: 10,
  subsample: 0.8,
  featureFraction: 0.5,
  gainOnCounts: true,
  earlyStoppingRounds: 50,
  validationFraction: 0.15,
  refitBelowRows: 50_000,
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
  if (options.earlyStoppingRounds <= 0 || data.rowCount < 50) return boost(data, labels, options, null);
  const split = stratifiedSplit(labels, options.validationFraction, options.seed + 7919);
  const validation = { data: selectBinnedRows(data, split.test), labels: pick(labels, split.test) };
  const fitted = boost(selectBinnedRows(data, split.train), pick(labels, split.train), options, validation);
  if (data.rowCount > options.refitBelowRows) return fitted;
  return boost(data, labels, { ...options, trees: fitted.trees.length }, null);
}

interface Validation {
  data: BinnedData;
  labels: Uint8Array;
}

function boost(
  data: BinnedData,
  labels: Uint8Array,
  options: GradientBoostingOptions,
  validation: Validation | null,
): GradientBoostingModel {
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
  const validationScores = validation ? new Float64Array(validation.data.rowCount).fill(baseScore) : null;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestTrees = 0;
  let bestImportance = importance.slice();
  for (let t = 0; t < options.trees; t++) {
    logisticGradients(scores, labels, grad, hess);
    // each row joins this tree's sample with probability `subsample` (rows stay in order)
    let rows = allRows;
    if (options.subsample < 1) {
      let size = 0;
      for (let r = 0; r < n; r++) if (random.next() < options.subsample) sampled[size++] = r;
      rows = sampled.subarray(0, Math.max(1, size));
    } else for (let r = 0; r < n; r++) allRows[r] = r; // the previous tree left them grouped by leaf
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
    // every row is in the tree's sample: its leaf is known from the partition, no walk down the tree
    if (rows === allRows) addLeafValues(grown, allRows, scores);
    else grown.tree.addBinnedPredictions(data.bins, scores);
    trees.push(grown.tree);
    options.onProgress?.(t + 1, options.trees, 'boosting');
    if (validation && validationScores) {
      grown.tree.addBinnedPredictions(validation.data.bins, validationScores);
      const loss = logLoss(validationScores, validation.labels);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestTrees = t + 1;
        bestImportance = importance.slice();
      } else if (t + 1 - bestTrees >= options.earlyStoppingRounds) break;
    }
  }
  if (validation) {
    trees.length = Math.max(1, bestTrees);
    options.onProgress?.(options.trees, options.trees, 'boosting');
    return new GradientBoostingModel(baseScore, trees, normaliseImportance(bestImportance));
  }
  return new GradientBoostingModel(baseScore, trees, normaliseImportance(importance));
}

/** scores[r] += value of r's leaf, for the rows grouped by leaf as growTree left them. */
function addLeafValues(grown: GrownTree, rows: Uint32Array, scores: Float64Array): void {
  const { nodes, starts, ends } = grown.leaves;
  const value = grown.tree.value;
  for (let k = 0; k < nodes.length; k++) {
    const v = value[nodes[k]!]!;
    for (let i = starts[k]!, end = ends[k]!; i < end; i++) scores[rows[i]!]! += v;
  }
}

function logisticGradients(scores: Float64Array, labels: Uint8Array, grad: Float64Array, hess: Float64Array): void {
  for (let r = 0; r < scores.length; r++) {
    const p = 1 / (1 + Math.exp(-scores[r]!));
    grad[r] = p - labels[r]!;
    hess[r] = Math.max(p * (1 - p), 1e-16);
  }
}

function logLoss(scores: Float64Array, labels: Uint8Array): number {
  let total = 0;
  for (let r = 0; r < scores.length; r++) {
    const s = scores[r]!;
    // log(1 + e^-s) for a positive, log(1 + e^s) for a negative, computed without overflow
    const z = labels[r] === 1 ? -s : s;
    total += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  return total / Math.max(1, scores.length);
}

function pick(labels: Uint8Array, rows: Int32Array): Uint8Array {
  return Uint8Array.from(rows, (r) => labels[r]!);
}

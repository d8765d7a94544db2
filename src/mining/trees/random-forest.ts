// A random forest: Gini trees on bootstrap samples, a random subset of features tried at each split,
// probabilities averaged.
import { type BinaryClassifier, normaliseImportance, type ProgressCallback } from '../models/binary-classifier.ts';
import { createSeededRandom } from '../../shared/seeded-random.ts';
import type { FeatureTable } from '../table/index.ts';
import { labelGradients } from './classification-tree.ts';
import { DecisionTree, type DecisionTreeJson } from './decision-tree.ts';
import { binFeatures, fitFeatureBins } from './feature-binning.ts';
import { growTree } from './grow-tree.ts';

export interface RandomForestOptions {
  trees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  /** Fraction of features tried at each split (default √features / features). */
  featureFraction?: number;
  seed: number;
  onProgress?: ProgressCallback;
}

export const defaultRandomForestOptions: RandomForestOptions = { trees: 200, maxDepth: 14, minSamplesLeaf: 2, seed: 1 };

export interface RandomForestJson {
  kind: 'forest';
  trees: DecisionTreeJson[];
  importance: number[];
}

export class RandomForestModel implements BinaryClassifier {
  readonly kind = 'forest' as const;

  constructor(
    readonly trees: DecisionTree[],
    private readonly importance: Float64Array,
  ) {}

  predictProbabilities(table: FeatureTable): Float64Array {
    const out = new Float64Array(table.rowCount);
    for (const tree of this.trees) tree.addPredictions(table.columns, out, 1 / this.trees.length);
    return out;
  }

  featureImportance(): Float64Array {
    return this.importance;
  }

  toJSON(): RandomForestJson {
    return { kind: 'forest', trees: this.trees.map((t) => t.toJSON()), importance: Array.from(this.importance) };
  }

  static fromJSON(json: RandomForestJson): RandomForestModel {
    return new RandomForestModel(
      json.trees.map((t) => DecisionTree.fromJSON(t)),
      Float64Array.from(json.importance),
    );
  }
}

export function trainRandomForest(
  table: FeatureTable,
  labels: Uint8Array,
  overrides: Partial<RandomForestOptions> = {},
): RandomForestModel {
  const options = { ...defaultRandomForestOptions, ...overrides };
  const data = binFeatures(table, fitFeatureBins(table));
  const { grad, hess } = labelGradients(labels);
  const random = createSeededRandom(options.seed);
  const n = table.rowCount;
  const featureCount = table.features.length;
  const featureFraction = options.featureFraction ?? Math.max(1, Math.round(Math.sqrt(featureCount))) / featureCount;
  const importance = new Float64Array(featureCount);
  const trees: DecisionTree[] = [];
  const rows = new Uint32Array(n);
  for (let t = 0; t < options.trees; t++) {
    for (let k = 0; k < n; k++) rows[k] = random.int(n);
    const grown = growTree(data, grad, hess, rows, {
      maxDepth: options.maxDepth,
      minSamplesLeaf: options.minSamplesLeaf,
      minHessian: 0,
      lambda: 0,
      minGain: 1e-9,
      leafScale: 1,
      featureFraction,
      random,
      maxSortedLevels: 64,
    });
    for (let f = 0; f < featureCount; f++) importance[f]! += grown.gain[f]!;
    trees.push(grown.tree);
    options.onProgress?.(t + 1, options.trees, 'forest');
  }
  return new RandomForestModel(trees, normaliseImportance(importance));
}

// A single classification tree (CART with Gini, via the shared grower): leaves hold positive rates,
// and the tree reads as rules ("brand = mzone and age < 25 → responds, 61 %, n=812").
import { type BinaryClassifier, normaliseImportance } from '../models/binary-classifier.ts';
import type { FeatureTable } from '../table/index.ts';
import { DecisionTree, type DecisionTreeJson } from './decision-tree.ts';
import { binFeatures, fitFeatureBins } from './feature-binning.ts';
import { growTree } from './grow-tree.ts';

export interface ClassificationTreeOptions {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Smallest Gini decrease (in rows) worth a split. */
  minGain: number;
}

export const defaultClassificationTreeOptions: ClassificationTreeOptions = {
  maxDepth: 5,
  minSamplesLeaf: 20,
  minGain: 1,
};

export interface ClassificationTreeJson {
  kind: 'tree';
  tree: DecisionTreeJson;
  importance: number[];
}

export class ClassificationTreeModel implements BinaryClassifier {
  readonly kind = 'tree' as const;

  constructor(
    readonly tree: DecisionTree,
    private readonly importance: Float64Array,
  ) {}

  predictProbabilities(table: FeatureTable): Float64Array {
    const out = new Float64Array(table.rowCount);
    this.tree.addPredictions(table.columns, out);
    return out;
  }

  featureImportance(): Float64Array {
    return this.importance;
  }

  toJSON(): ClassificationTreeJson {
    return { kind: 'tree', tree: this.tree.toJSON(), importance: Array.from(this.importance) };
  }

  static fromJSON(json: ClassificationTreeJson): ClassificationTreeModel {
    return new ClassificationTreeModel(DecisionTree.fromJSON(json.tree), Float64Array.from(json.importance));
  }
}

/** Gradients -y and hessians 1 (weights) make the grower's gain the Gini decrease × rows / 2. */
export function labelGradients(labels: Uint8Array, weights?: Float64Array): { grad: Float64Array; hess: Float64Array } {
  const grad = new Float64Array(labels.length);
  const hess = new Float64Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const w = weights ? weights[r]! : 1;
    grad[r] = -labels[r]! * w;
    hess[r] = w;
  }
  return { grad, hess };
}

export function trainClassificationTree(
  table: FeatureTable,
  labels: Uint8Array,
  overrides: Partial<ClassificationTreeOptions> = {},
): ClassificationTreeModel {
  const options = { ...defaultClassificationTreeOptions, ...overrides };
  const data = binFeatures(table, fitFeatureBins(table));
  const { grad, hess } = labelGradients(labels);
  const rows = Uint32Array.from({ length: table.rowCount }, (_, r) => r);
  const grown = growTree(data, grad, hess, rows, {
    maxDepth: options.maxDepth,
    minSamplesLeaf: options.minSamplesLeaf,
    minHessian: 0,
    lambda: 0,
    minGain: options.minGain,
    leafScale: 1,
  });
  return new ClassificationTreeModel(grown.tree, normaliseImportance(grown.gain));
}

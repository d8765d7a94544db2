// What every model offers: probabilities of the positive label for a feature table, its importance
// per feature where it has one, and a JSON form to save.
import type { FeatureTable } from '../table/index.ts';

export const modelKinds = ['gbdt', 'tree', 'forest', 'logistic', 'mlp'] as const;
export type ModelKind = (typeof modelKinds)[number];

export function isModelKind(value: string): value is ModelKind {
  return (modelKinds as readonly string[]).includes(value);
}

export interface BinaryClassifier {
  readonly kind: ModelKind;
  predictProbabilities(table: FeatureTable): Float64Array;
  /** One value per feature (schema order), summing to 1; null if the model has none. */
  featureImportance(): Float64Array | null;
  toJSON(): unknown;
}

/** Reports training progress: done of total steps. */
export type ProgressCallback = (done: number, total: number, label: string) => void;

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function normaliseImportance(values: Float64Array): Float64Array {
  let total = 0;
  for (const v of values) total += v;
  return total > 0 ? values.map((v) => v / total) : values;
}

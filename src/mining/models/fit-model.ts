// Fits a model of a given kind: one table over every kind, so adding a kind breaks the build until
// it can be both trained and loaded.
import {
  type GradientBoostingJson,
  GradientBoostingModel,
  trainGradientBoosting,
} from '../boosting/gradient-boosting.ts';
import { type LogisticJson, LogisticModel, trainLogistic } from '../linear/logistic-regression.ts';
import { type MlpJson, MlpModel, trainMlp } from '../neural/multilayer-perceptron.ts';
import type { FeatureTable } from '../table/index.ts';
import {
  type ClassificationTreeJson,
  ClassificationTreeModel,
  trainClassificationTree,
} from '../trees/classification-tree.ts';
import { type RandomForestJson, RandomForestModel, trainRandomForest } from '../trees/random-forest.ts';
import type { BinaryClassifier, ModelKind, ProgressCallback } from './binary-classifier.ts';

export interface FitOptions {
  seed: number;
  onProgress?: ProgressCallback;
  /** Model-specific settings (trees, maxDepth, learningRate, l2, hidden, epochs …). */
  params?: Record<string, number>;
}

interface ModelEntry {
  fit(table: FeatureTable, labels: Uint8Array, options: FitOptions): BinaryClassifier;
  load(json: unknown): BinaryClassifier;
}

export const modelCatalogue: Record<ModelKind, ModelEntry> = {
  gbdt: {
    // a number of trees asked for is grown exactly (as xgboost's n_estimators), unless early stopping is asked too
    fit: (t, y, o) =>
      trainGradientBoosting(t, y, {
        seed: o.seed,
        onProgress: o.onProgress,
        ...(o.params?.trees !== undefined && o.params.earlyStoppingRounds === undefined
          ? { earlyStoppingRounds: 0 }
          : {}),
        ...o.params,
      }),
    load: (json) => GradientBoostingModel.fromJSON(json as GradientBoostingJson),
  },
  tree: {
    fit: (t, y, o) => trainClassificationTree(t, y, { ...o.params }),
    load: (json) => ClassificationTreeModel.fromJSON(json as ClassificationTreeJson),
  },
  forest: {
    fit: (t, y, o) => trainRandomForest(t, y, { seed: o.seed, onProgress: o.onProgress, ...o.params }),
    load: (json) => RandomForestModel.fromJSON(json as RandomForestJson),
  },
  logistic: {
    fit: (t, y, o) => trainLogistic(t, y, { ...o.params }),
    load: (json) => LogisticModel.fromJSON(json as LogisticJson),
  },
  mlp: {
    fit: (t, y, o) => trainMlp(t, y, { seed: o.seed, onProgress: o.onProgress, ...o.params }),
    load: (json) => MlpModel.fromJSON(json as MlpJson),
  },
};

export function fitModel(
  kind: ModelKind,
  table: FeatureTable,
  labels: Uint8Array,
  options: FitOptions,
): BinaryClassifier {
  return modelCatalogue[kind].fit(table, labels, options);
}

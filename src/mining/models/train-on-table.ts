// The whole of `telmark train`: infer the schema, split (or fold), fit, evaluate on held-out rows.
import { AppError } from '../../shared/errors.ts';
import { type BaselineVerdict, judgeAgainstBaseline } from '../evaluation/baseline-gate.ts';
import { type ClassificationReport, evaluateClassifier } from '../evaluation/classification-metrics.ts';
import { type RowSplit, stratifiedFolds, stratifiedSplit } from '../evaluation/stratified-split.ts';
import {
  encodeLabelledTable,
  inferTableSchema,
  type LabelledTable,
  type RawTable,
  selectRows,
  type TableSchema,
} from '../table/index.ts';
import { ClassificationTreeModel } from '../trees/classification-tree.ts';
import { describeTree, type TreeRule } from '../trees/describe-tree.ts';
import type { BinaryClassifier, ModelKind, ProgressCallback } from './binary-classifier.ts';
import { fitModel } from './fit-model.ts';
import { type ModelFile, toModelFile } from './model-file.ts';

export interface TrainOnTableOptions {
  target: string;
  model: ModelKind;
  positive?: string;
  seed: number;
  testFraction: number;
  /** k-fold cross-validation instead of one split (the saved model is then fitted on all rows). */
  folds?: number;
  /** A separate table to evaluate on (the saved model is fitted on all rows of the training table). */
  testTable?: RawTable;
  threshold: number;
  params?: Record<string, number>;
  onProgress?: ProgressCallback;
}

export interface FeatureImportance {
  feature: string;
  importance: number;
}

export interface TrainingOutcome {
  schema: TableSchema;
  classifier: BinaryClassifier;
  /** How the figures were measured: "holdout 20 %", "5-fold cv", "test table x.csv". */
  method: string;
  /** Held-out report (for cv: pooled over the folds' held-out scores). */
  report: ClassificationReport;
  /** AUC of each fold (cv only). */
  foldAucs?: number[];
  trainRows: number;
  importance: FeatureImportance[];
  rules?: TreeRule[];
  modelFile: ModelFile;
  /** Held-out AUC against the no-information baseline: scores are written only when it beats it. */
  verdict: BaselineVerdict;
}

export function trainOnTable(raw: RawTable, options: TrainOnTableOptions): TrainingOutcome {
  const schema = inferTableSchema(raw, options.target, { positive: options.positive });
  const table = encodeLabelledTable(raw, schema);
  checkBothClasses(table.labels, raw.source);
  const fit = (rows: LabelledTable | ReturnType<typeof subset>) =>
    fitModel(options.model, rows, rows.labels, {
      seed: options.seed,
      onProgress: options.onProgress,
      params: options.params,
    });

  let classifier: BinaryClassifier;
  let report: ClassificationReport;
  let method: string;
  let foldAucs: number[] | undefined;
  let trainRows: number;
  if (options.testTable) {
    const test = encodeLabelledTable(options.testTable, schema);
    classifier = fit(table);
    report = evaluateClassifier(classifier.predictProbabilities(test), test.labels, options.threshold);
    method = `test table ${options.testTable.source}`;
    trainRows = table.rowCount;
  } else if (options.folds !== undefined) {
    if (!Number.isInteger(options.folds) || options.folds < 2)
      throw new AppError('USAGE', `--cv must be a whole number ≥ 2, not ${options.folds}`);
    const folds = stratifiedFolds(table.labels, options.folds, options.seed);
    const pooled = new Float64Array(table.rowCount);
    foldAucs = folds.map((split) => {
      const model = fit(subset(table, split.train));
      const test = subset(table, split.test);
      const scores = model.predictProbabilities(test);
      split.test.forEach((r, i) => {
        pooled[r] = scores[i]!;
      });
      return evaluateClassifier(scores, test.labels).auc;
    });
    report = evaluateClassifier(pooled, table.labels, options.threshold);
    classifier = fit(table);
    method = `${options.folds}-fold cv`;
    trainRows = table.rowCount;
  } else {
    if (!(options.testFraction > 0 && options.testFraction < 1))
      throw new AppError('USAGE', `--test-fraction must be between 0 and 1, not ${options.testFraction}`);
    const split: RowSplit = stratifiedSplit(table.labels, options.testFraction, options.seed);
    const train = subset(table, split.train);
    const test = subset(table, split.test);
    classifier = fit(train);
    report = evaluateClassifier(classifier.predictProbabilities(test), test.labels, options.threshold);
    method = `holdout ${Math.round(options.testFraction * 100)} %`;
    trainRows = train.rowCount;
  }
  const weights = classifier.featureImportance();
  const importance = weights
    ? schema.features
        .map((f, i) => ({ feature: f.name, importance: weights[i]! }))
        .sort((a, b) => b.importance - a.importance)
    : [];
  const rules =
    classifier instanceof ClassificationTreeModel
      ? describeTree(classifier.tree, schema.features, schema.target)
      : undefined;
  const auc = foldAucs ? mean(foldAucs) : report.auc;
  const modelFile = toModelFile(classifier, schema, options.threshold, {
    auc,
    rows: report.rows,
    method,
    roc: report.roc.map((p) => ({ ...p, threshold: Number.isFinite(p.threshold) ? p.threshold : null })),
    gain: report.gain.map(({ decile, rate, cumulativeGain, lift }) => ({ decile, rate, cumulativeGain, lift })),
    importance: importance.slice(0, 30),
    ...(rules ? { rules: rules.slice(0, 30).map((r) => r.text) } : {}),
  });
  const verdict = judgeAgainstBaseline({
    auc: report.auc,
    positives: report.positives,
    negatives: report.rows - report.positives,
  });
  return { schema, classifier, method, report, foldAucs, trainRows, importance, rules, modelFile, verdict };
}

function subset(table: LabelledTable, rows: Int32Array) {
  return { ...selectRows(table, rows), labels: Uint8Array.from(rows, (r) => table.labels[r]!) };
}

function checkBothClasses(labels: Uint8Array, source: string): void {
  let positives = 0;
  for (const y of labels) positives += y;
  if (positives < 2 || labels.length - positives < 2)
    throw new AppError(
      'INPUT_INVALID',
      `the target needs at least two rows of each label (${positives} positive of ${labels.length})`,
      {
        location: { file: source },
      },
    );
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function standardDeviation(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, values.length - 1));
}

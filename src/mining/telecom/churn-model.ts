// Churn on the warehouse: account closure within 30 days. Gradient-boosted trees against a logistic
// baseline fitted in the same run on the same split; the scores of open accounts are written to
// mining_churn_scores with the model version.
import type { Clock } from '../../shared/clock.ts';
import { judgeAgainstBaseline } from '../evaluation/baseline-gate.ts';
import { AppError } from '../../shared/errors.ts';
import { sqlTimestamp } from '../../warehouse/index.ts';
import {
  type BinaryClassifier,
  type FeatureImportance,
  type ModelFile,
  type ModelKind,
  parseModelFile,
  trainInWorker,
  trainOnTable,
  type TrainOnTableOptions,
} from '../models/index.ts';
import { encodeFeatures, type RawTable, rowsToCsv, type TableSchema } from '../table/index.ts';
import { MINING_MODEL_COLUMNS, type MiningWarehouse, writeModelResults } from './mining-warehouse.ts';
import { modelVersion } from './model-version.ts';
import { readSubscriberFeatures } from './subscriber-features.ts';
import { rowsToRawTable } from './warehouse-rows.ts';

export interface ChurnModelOptions {
  model?: ModelKind;
  seed?: number;
  testFraction?: number;
  clock: Clock;
  /** Train on a worker thread (in the server, so that requests keep being answered). */
  inWorker?: boolean;
  /** Write the scores even when the model does not beat its logistic baseline. */
  forceWrite?: boolean;
  /** Aborting terminates a training on the worker (Ctrl+C of `npm start`). */
  signal?: AbortSignal;
}

interface FittedModel {
  classifier: BinaryClassifier;
  modelFile: ModelFile;
  schema: TableSchema;
  auc: number;
  /** Held-out rows and positives, for the AUC's standard error. */
  report: { rows: number; positives: number };
  method: string;
  importance: FeatureImportance[];
  /** Every row of the table scored (row-aligned), when asked for. */
  scores?: Float64Array;
}

async function fitOne(
  raw: RawTable,
  rows: readonly Record<string, unknown>[],
  options: Omit<TrainOnTableOptions, 'onProgress' | 'testTable'>,
  how: { inWorker: boolean; withScores: boolean; signal?: AbortSignal },
): Promise<FittedModel> {
  if (!how.inWorker) {
    const outcome = trainOnTable(raw, options);
    const scores = how.withScores
      ? outcome.classifier.predictProbabilities(encodeFeatures(raw, outcome.schema.features))
      : undefined;
    return { ...outcome, auc: outcome.report.auc, ...(scores ? { scores } : {}) };
  }
  // Scored on the worker too: at 20,000 subscribers scoring stalls the server as long as a training.
  const summary = await trainInWorker(
    { csvText: rowsToCsv(rows), source: raw.source, options, scoreInput: how.withScores },
    undefined,
    how.signal,
  );
  const { classifier } = parseModelFile(summary.modelFile, raw.source);
  return { ...summary, classifier, auc: summary.report.auc };
}

export interface ChurnModelResult {
  modelVersion: string;
  auc: number;
  baselineAuc: number;
  rows: number;
  churners: number;
  importance: FeatureImportance[];
  /** Open accounts whose scores were written (0 when the model did not beat its baseline). */
  scored: number;
  /** Held-out AUC above the logistic baseline's; otherwise nothing is written unless forced. */
  beatsBaseline: boolean;
  written: boolean;
}

export async function fitChurnModel(warehouse: MiningWarehouse, options: ChurnModelOptions): Promise<ChurnModelResult> {
  const rows = await readSubscriberFeatures(warehouse);
  if (rows.length === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'no subscribers with activity to learn churn from', {
      hint: 'load feeds first (telmark load DIR)',
    });
  const raw = rowsToRawTable(rows, 'warehouse subscribers');
  const common = {
    target: 'churned',
    positive: '1',
    seed: options.seed ?? 1,
    testFraction: options.testFraction ?? 0.3,
    threshold: 0.5,
  };
  const inWorker = options.inWorker ?? false;
  const { signal } = options;
  const model = await fitOne(
    raw,
    rows,
    { ...common, model: options.model ?? 'gbdt' },
    { inWorker, withScores: true, signal },
  );
  const baseline = await fitOne(raw, rows, { ...common, model: 'logistic' }, { inWorker, withScores: false, signal });
  const modelJson = JSON.stringify(model.modelFile);
  const version = modelVersion('churn', model.classifier.kind, modelJson);
  const scores = model.scores!;
  const open: [string, number, string][] = [];
  rows.forEach((row, i) => {
    if (Number(row.churned) === 0) open.push([String(row.msisdn), scores[i]!, version]);
  });
  // A model no better than the logistic baseline fitted beside it would only add noise to campaigns.
  // The logistic model is that baseline itself: it must beat no information (AUC 0.5) by two
  // standard errors instead.
  const beatsBaseline =
    model.classifier.kind === 'logistic'
      ? judgeAgainstBaseline({
          auc: model.auc,
          positives: model.report.positives,
          negatives: model.report.rows - model.report.positives,
        }).beatsBaseline
      : model.auc > baseline.auc;
  const written = beatsBaseline || options.forceWrite === true;
  if (written) {
    await writeModelResults(warehouse, version, [
      {
        table: 'mining_models',
        columns: MINING_MODEL_COLUMNS,
        rows: [
          [
            version,
            'churn',
            model.classifier.kind,
            sqlTimestamp(options.clock.now()),
            raw.rowCount,
            model.auc,
            baseline.auc,
            model.method,
            modelJson,
          ],
        ],
      },
      { table: 'mining_churn_scores', columns: ['msisdn', 'score', 'model_version'], rows: open },
    ]);
  }
  return {
    modelVersion: version,
    auc: model.auc,
    baselineAuc: baseline.auc,
    rows: raw.rowCount,
    churners: rows.filter((r) => Number(r.churned) === 1).length,
    importance: model.importance,
    scored: written ? open.length : 0,
    beatsBaseline,
    written,
  };
}

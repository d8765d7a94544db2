// Churn on the warehouse: account closure within 30 days. Gradient-boosted trees against a logistic
// baseline fitted in the same run on the same split; the scores of open accounts are written to
// mining_churn_scores with the model version.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { type FeatureImportance, type ModelKind, trainOnTable } from '../models/index.ts';
import { encodeFeatures } from '../table/index.ts';
import { ensureMiningTables, insertRows } from '../warehouse-tables.ts';
import { modelVersion } from './model-version.ts';
import { readSubscriberFeatures } from './subscriber-features.ts';
import { rowsToRawTable } from './warehouse-rows.ts';

export interface ChurnModelOptions {
  model?: ModelKind;
  seed?: number;
  testFraction?: number;
  clock: Clock;
}

export interface ChurnModelResult {
  modelVersion: string;
  auc: number;
  baselineAuc: number;
  rows: number;
  churners: number;
  importance: FeatureImportance[];
  scored: number;
}

export async function fitChurnModel(warehouse: Warehouse, options: ChurnModelOptions): Promise<ChurnModelResult> {
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
  const model = trainOnTable(raw, { ...common, model: options.model ?? 'gbdt' });
  const baseline = trainOnTable(raw, { ...common, model: 'logistic' });
  const modelJson = JSON.stringify(model.modelFile);
  const version = modelVersion('churn', model.classifier.kind, modelJson);
  const scores = model.classifier.predictProbabilities(encodeFeatures(raw, model.schema.features));
  const open: [string, number, string][] = [];
  rows.forEach((row, i) => {
    if (Number(row.churned) === 0) open.push([String(row.msisdn), scores[i]!, version]);
  });
  await ensureMiningTables(warehouse);
  await warehouse.transaction(async () => {
    await warehouse.run('DELETE FROM mining_models WHERE model_version = ?', [version]);
    await warehouse.run('DELETE FROM mining_churn_scores WHERE model_version = ?', [version]);
    await insertRows(
      warehouse,
      'mining_models',
      ['model_version', 'purpose', 'kind', 'trained_at', 'rows', 'auc', 'baseline_auc', 'method', 'model_json'],
      [
        [
          version,
          'churn',
          model.classifier.kind,
          options.clock.now().toISOString(),
          raw.rowCount,
          model.report.auc,
          baseline.report.auc,
          model.method,
          modelJson,
        ],
      ],
    );
    await insertRows(warehouse, 'mining_churn_scores', ['msisdn', 'score', 'model_version'], open);
  });
  return {
    modelVersion: version,
    auc: model.report.auc,
    baselineAuc: baseline.report.auc,
    rows: raw.rowCount,
    churners: rows.filter((r) => Number(r.churned) === 1).length,
    importance: model.importance,
    scored: open.length,
  };
}

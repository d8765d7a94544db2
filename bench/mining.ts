// Mining benchmarks: FP-growth against node-fpgrowth on the same baskets in the same run, the models
// on the Orange churn set, and gradient boosting on 1,000,000 rows × 30 columns.
// `npm run bench -- mining` runs all; `npm run bench -- mining fp|orange|gbdt` runs one part.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FPGrowth } from 'node-fpgrowth';
import { trainGradientBoosting } from '../src/mining/boosting/gradient-boosting.ts';
import { rocAuc } from '../src/mining/evaluation/roc-auc.ts';
import { modelKinds, trainOnTable } from '../src/mining/models/index.ts';
import {
  type BasketSet,
  deriveRules,
  findFrequentItemsets,
  generateSyntheticBaskets,
  minCountForSupport,
} from '../src/mining/rules/index.ts';
import { createSeededRandom } from '../src/shared/seeded-random.ts';
import type { FeatureSchema, FeatureTable } from '../src/mining/table/index.ts';
import { readCsvTable } from '../src/mining/table/index.ts';
import { reportFigure } from './report.ts';

export async function run(args: string[]): Promise<void> {
  const parts = args.length ? args : ['fp', 'orange', 'gbdt'];
  if (parts.includes('fp')) {
    await compareFpGrowth('groceries_like', generateSyntheticBaskets({ baskets: 9835, seed: 1 }), 0.001);
    await compareFpGrowth(
      'synthetic_100k',
      generateSyntheticBaskets({ baskets: 100_000, items: 1000, meanSize: 10, families: 300, seed: 2 }),
      0.001,
    );
  }
  if (parts.includes('orange')) benchOrange();
  if (parts.includes('gbdt')) benchGradientBoosting(Number(process.env.TELMARK_BENCH_GBDT_ROWS ?? 1_000_000));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function compareFpGrowth(name: string, baskets: BasketSet, minSupport: number): Promise<void> {
  const minCount = minCountForSupport(minSupport, baskets.basketCount);
  const ours: number[] = [];
  let itemsetCount = 0;
  let ruleCount = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const sets = findFrequentItemsets(baskets, { minCount });
    ours.push(performance.now() - start);
    itemsetCount = sets.size;
    if (i === 0) ruleCount = deriveRules(sets, { minConfidence: 0.5 }).length;
  }
  const transactions: string[][] = [];
  for (let b = 0; b < baskets.basketCount; b++)
    transactions.push(
      Array.from(baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1]), (id) => baskets.itemNames[id]!),
    );
  const theirs: number[] = [];
  let baselineCount = 0;
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    const found = await new FPGrowth<string>((minCount - 0.5) / baskets.basketCount).exec(transactions);
    theirs.push(performance.now() - start);
    baselineCount = found.length;
  }
  if (baselineCount !== itemsetCount)
    throw new Error(`${name}: node-fpgrowth found ${baselineCount} itemsets, ours ${itemsetCount}`);
  console.log(
    `${name}: ${baskets.basketCount} baskets, ${baskets.itemNames.length} items, support ${minSupport} (count ${minCount}): ` +
      `${itemsetCount} frequent itemsets (both), ${ruleCount} rules at confidence 0.5`,
  );
  const value = median(ours);
  const baseline = median(theirs);
  reportFigure({
    name: `mining.fpgrowth_${name}_ms`,
    value,
    unit: 'ms',
    baseline: 'node-fpgrowth 1.2.1',
    baselineValue: baseline,
    ratio: baseline / value,
    target: '≥ 5× faster',
  });
}

const python = '/usr/bin/python3';

/** Runs a Python snippet (Debian's python3 with scikit-learn/xgboost) and parses the JSON it prints; null if unavailable. */
function runPython(script: string, args: string[]): Record<string, number> | null {
  if (!existsSync(python)) return null;
  const result = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) {
    console.log(`python baseline skipped: ${result.stderr.trim().split('\n').at(-1)}`);
    return null;
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

// scikit-learn on the Orange split: one-hot State, yes/no as 0/1, as the README's reference figures.
const sklearnOrange = `
import csv, json, sys, numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
def read(path):
    rows = list(csv.reader(open(path)))
    return rows[0], rows[1:]
h, train = read(sys.argv[1]); _, test = read(sys.argv[2])
states = sorted({r[0] for r in train})
def encode(rows):
    x = []
    for r in rows:
        v = [1.0 if r[0] == s else 0.0 for s in states]
        for c in range(1, len(h) - 1):
            t = r[c]
            v.append(1.0 if t == 'Yes' else 0.0 if t == 'No' else float(t))
        x.append(v)
    return np.array(x), np.array([1 if r[-1].lower() == 'true' else 0 for r in rows])
xa, ya = encode(train); xb, yb = encode(test)
gbm = GradientBoostingClassifier(n_estimators=200, max_depth=3, random_state=1).fit(xa, ya)
scaler = StandardScaler().fit(xa)
lr = LogisticRegression(max_iter=2000).fit(scaler.transform(xa), ya)
print(json.dumps({'gbdt': roc_auc_score(yb, gbm.predict_proba(xb)[:, 1]),
                  'logistic': roc_auc_score(yb, lr.predict_proba(scaler.transform(xb))[:, 1])}))
`;

function benchOrange(): void {
  const fixtures = fileURLToPath(new URL('../test/fixtures/orange/', import.meta.url));
  const train = readCsvTable(join(fixtures, 'orange-churn-80.csv'));
  const test = readCsvTable(join(fixtures, 'orange-churn-20.csv'));
  const sklearn = runPython(sklearnOrange, [
    join(fixtures, 'orange-churn-80.csv'),
    join(fixtures, 'orange-churn-20.csv'),
  ]);
  if (sklearn)
    console.log(`scikit-learn in this run: gbdt ${sklearn.gbdt?.toFixed(4)}, logistic ${sklearn.logistic?.toFixed(4)}`);
  for (const model of modelKinds) {
    const start = performance.now();
    const outcome = trainOnTable(train, {
      target: 'Churn',
      model,
      seed: 1,
      testFraction: 0.2,
      testTable: test,
      threshold: 0.5,
    });
    const ms = performance.now() - start;
    const reference = model === 'gbdt' ? sklearn?.gbdt : model === 'logistic' ? sklearn?.logistic : undefined;
    console.log(`orange ${model}: held-out ROC AUC ${outcome.report.auc.toFixed(4)}, fit + score ${Math.round(ms)} ms`);
    reportFigure({
      name: `mining.orange_auc_${model}`,
      value: outcome.report.auc,
      unit: 'auc',
      ...(reference === undefined
        ? {}
        : {
            baseline:
              model === 'gbdt'
                ? 'scikit-learn GradientBoosting 200 × depth 3, same run'
                : 'scikit-learn LogisticRegression (scaled), same run',
            baselineValue: reference,
            ratio: outcome.report.auc / reference,
          }),
    });
  }
}

/** rows × 30 synthetic columns (numbers, some missing, two categorical) with a non-linear target. */
function syntheticTable(rows: number, seed: number): { table: FeatureTable; labels: Uint8Array } {
  const random = createSeededRandom(seed);
  const features: FeatureSchema[] = [];
  const columns: Float64Array[] = [];
  for (let f = 0; f < 30; f++) {
    const categorical = f >= 28;
    features.push(
      categorical
        ? { name: `c${f}`, kind: 'categorical', categories: Array.from({ length: 12 }, (_, i) => `level${i}`) }
        : { name: `x${f}`, kind: 'numeric' },
    );
    const column = new Float64Array(rows);
    for (let r = 0; r < rows; r++)
      column[r] = categorical ? random.int(12) : f % 7 === 6 && random.next() < 0.05 ? Number.NaN : random.normal();
    columns.push(column);
  }
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = (f: number) => (Number.isNaN(columns[f]![r]!) ? 0 : columns[f]![r]!);
    const z =
      1.2 * x(0) -
      0.8 * x(1) +
      (x(2) > 0.5 ? 1.5 : 0) +
      x(3) * x(4) +
      Math.sin(2 * x(5)) +
      (columns[28]![r]! < 3 ? 1 : -0.3) -
      1;
    labels[r] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { table: { features, columns, rowCount: rows }, labels };
}

function benchGradientBoosting(rows: number): void {
  const trees = 100;
  const { table, labels } = syntheticTable(rows, 7);
  const holdout = syntheticTable(100_000, 8);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const start = performance.now();
  // the settings of the xgboost run below (and of the figures in docs/mining.md), not the defaults
  const model = trainGradientBoosting(table, labels, {
    trees,
    maxDepth: 4,
    learningRate: 0.03,
    subsample: 0.8,
    featureFraction: 1,
    minSamplesLeaf: 5,
    lambda: 1,
    earlyStoppingRounds: 0,
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage().rss);
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const auc = rocAuc(model.predictProbabilities(holdout.table), holdout.labels);
  const xgboost = xgboostOnSameRows(table, labels, holdout.table, holdout.labels, trees);
  if (xgboost)
    console.log(
      `xgboost (tree_method hist, 1 thread, same rows, same trees/depth/eta/subsample): ` +
        `${xgboost.seconds!.toFixed(1)} s, holdout AUC ${xgboost.auc!.toFixed(4)}`,
    );
  const bytesPerRow = (peak - before) / rows;
  console.log(
    `gbdt: ${rows} rows × 30 columns, ${trees} trees of depth 4: ${seconds.toFixed(1)} s ` +
      `(${((seconds / trees) * 1000).toFixed(0)} ms a tree), training memory above the input ${(bytesPerRow).toFixed(0)} bytes a row, holdout AUC ${auc.toFixed(4)}`,
  );
  reportFigure({
    name: `mining.gbdt_${rows}_rows_30_cols_100_trees_s`,
    value: seconds,
    unit: 's',
    ...(xgboost
      ? { baseline: 'xgboost hist, 1 thread', baselineValue: xgboost.seconds, ratio: xgboost.seconds! / seconds }
      : {}),
    target: 'minutes',
  });
  reportFigure({
    name: 'mining.gbdt_holdout_auc',
    value: auc,
    unit: 'auc',
    ...(xgboost ? { baseline: 'xgboost hist', baselineValue: xgboost.auc, ratio: auc / xgboost.auc! } : {}),
  });
  reportFigure({ name: 'mining.gbdt_training_bytes_per_row', value: bytesPerRow, unit: 'bytes/row' });
}

const xgboostScript = `
import json, sys, time, numpy as np, xgboost as xgb
from sklearn.metrics import roc_auc_score
d, rows, test_rows, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(d + '/x.bin').reshape(30, rows).T
y = np.fromfile(d + '/y.bin', dtype=np.uint8)
xt = np.fromfile(d + '/xt.bin').reshape(30, test_rows).T
yt = np.fromfile(d + '/yt.bin', dtype=np.uint8)
start = time.time()
model = xgb.XGBClassifier(n_estimators=trees, max_depth=4, learning_rate=0.03, subsample=0.8, tree_method='hist',
                          max_bin=256, n_jobs=1, random_state=1).fit(x, y)
seconds = time.time() - start
print(json.dumps({'seconds': seconds, 'auc': roc_auc_score(yt, model.predict_proba(xt)[:, 1])}))
`;

/** xgboost on exactly our rows (written as raw float64 columns), one thread like ours. */
function xgboostOnSameRows(
  table: FeatureTable,
  labels: Uint8Array,
  test: FeatureTable,
  testLabels: Uint8Array,
  trees: number,
): Record<string, number> | null {
  if (!existsSync(python)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'telmark-bench-xgb-'));
  try {
    const columns = (t: FeatureTable) => {
      const out = new Float64Array(30 * t.rowCount);
      t.columns.forEach((c, f) => {
        out.set(c, f * t.rowCount);
      });
      return out;
    };
    writeFileSync(join(dir, 'x.bin'), columns(table));
    writeFileSync(join(dir, 'y.bin'), labels);
    writeFileSync(join(dir, 'xt.bin'), columns(test));
    writeFileSync(join(dir, 'yt.bin'), testLabels);
    return runPython(xgboostScript, [dir, String(table.rowCount), String(test.rowCount), String(trees)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Gradient boosting as a user meets it: `telmark train` as a whole process (start-up and CSV reading
// included) against xgboost 1.7 (tree_method hist, 256 bins, one thread) as a process on the same CSV
// files, same trees, depth and learning rate, in the same run. Held-out AUC of both on a second file,
// peak memory of both from /usr/bin/time -v.
// `npm run bench -- gbdt [--rows 200000] [--test-rows 50000] [--trees 100] [--depth 6] [--keep]`.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '../src/shared/seeded-random.ts';
import { reportFigure } from './report.ts';

const python = '/usr/bin/python3';
const timeCommand = '/usr/bin/time';
const telmark = fileURLToPath(new URL('../bin/telmark.js', import.meta.url));

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? Number(args[at + 1]) : fallback;
}

const featureCount = 30;

/**
 * A churn-like table: label first (xgboost's CSV reader wants it there), then 30 features: numeric
 * ones with 5 % blanks in every seventh, two integer-coded categoricals of 12 levels; the signal mixes
 * linear, threshold, interaction and periodic terms so that depth matters.
 */
export function writeSyntheticCsv(path: string, rows: number, seed: number): void {
  const random = createSeededRandom(seed);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `y,${Array.from({ length: featureCount }, (_, f) => `x${f}`).join(',')}\n`);
    const x = new Float64Array(featureCount);
    const missing = new Uint8Array(featureCount);
    let chunk = '';
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < featureCount; f++) {
        const categorical = f === 28 || f === 29;
        missing[f] = !categorical && f % 7 === 6 && random.next() < 0.05 ? 1 : 0;
        x[f] = categorical ? random.int(12) : random.normal();
      }
      const v = (f: number) => (missing[f] ? 0 : x[f]!);
      const z =
        1.2 * v(0) -
        0.8 * v(1) +
        (v(2) > 0.5 ? 1.5 : 0) +
        v(3) * v(4) +
        Math.sin(2 * v(5)) +
        (x[28]! < 3 ? 1 : -0.3) -
        1;
      let line = random.next() < 1 / (1 + Math.exp(-z)) ? '1' : '0';
      for (let f = 0; f < featureCount; f++) {
        line += ',';
        if (missing[f]) continue;
        line += f === 28 || f === 29 ? String(x[f]) : x[f]!.toFixed(4);
      }
      chunk += `${line}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

interface ProcessRun {
  seconds: number;
  /** User + system CPU time: on a shared machine, the fairer comparison. */
  cpuSeconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time -v: wall time and peak resident memory of the process. */
function timedProcess(command: string, args: string[]): ProcessRun {
  const start = performance.now();
  const result = spawnSync(timeCommand, ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const cpuSeconds = user && system ? Number(user[1]) + Number(system[1]) : Number.NaN;
  return { seconds, cpuSeconds, peakRssMb: peak ? Number(peak[1]) / 1024 : Number.NaN, stdout: result.stdout };
}

const xgboostScript = `
import json, sys, time, xgboost as xgb
from sklearn.metrics import roc_auc_score
train, test, trees, depth, eta = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
dtrain = xgb.DMatrix(train + '?format=csv&label_column=0', nthread=1)
dtest = xgb.DMatrix(test + '?format=csv&label_column=0', nthread=1)
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_bin': 256, 'nthread': 1,
          'max_depth': depth, 'eta': eta, 'subsample': 1, 'seed': 1}
model = xgb.train(params, dtrain, num_boost_round=trees)
print(json.dumps({'auc': roc_auc_score(dtest.get_label(), model.predict(dtest))}))
`;

export async function run(args: string[]): Promise<void> {
  const rows = flag(args, '--rows', 200_000);
  const testRows = flag(args, '--test-rows', 50_000);
  const trees = flag(args, '--trees', 100);
  const depth = flag(args, '--depth', 6);
  const eta = 0.1;
  const dir = mkdtempSync(join(tmpdir(), 'telmark-bench-gbdt-'));
  try {
    const train = join(dir, 'train.csv');
    const test = join(dir, 'test.csv');
    writeSyntheticCsv(train, rows, 7);
    writeSyntheticCsv(test, testRows, 8);
    console.log(
      `${rows} training rows × ${featureCount} features (held out: ${testRows}), ${trees} trees of depth ${depth}, learning rate ${eta}, one thread`,
    );
    const ours = timedProcess(process.execPath, [
      telmark,
      'train',
      '--table',
      train,
      '--test-table',
      test,
      '--target',
      'y',
      '--param',
      `trees=${trees},maxDepth=${depth},learningRate=${eta},subsample=1`,
      '--format',
      'json',
    ]);
    const ourAuc = (JSON.parse(ours.stdout) as { auc: number }).auc;
    console.log(
      `telmark train: ${ours.seconds.toFixed(1)} s (CPU ${ours.cpuSeconds.toFixed(1)} s), peak ${ours.peakRssMb.toFixed(0)} MB, held-out AUC ${ourAuc.toFixed(4)}`,
    );
    let xgb: (ProcessRun & { auc: number }) | null = null;
    if (existsSync(python)) {
      const result = timedProcess(python, [
        '-c',
        xgboostScript,
        train,
        test,
        String(trees),
        String(depth),
        String(eta),
      ]);
      xgb = { ...result, auc: (JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { auc: number }).auc };
      console.log(
        `xgboost 1.7 hist (process, CSV read included): ${xgb.seconds.toFixed(1)} s (CPU ${xgb.cpuSeconds.toFixed(1)} s), peak ${xgb.peakRssMb.toFixed(0)} MB, held-out AUC ${xgb.auc.toFixed(4)}`,
      );
    } else console.log('xgboost baseline skipped: no /usr/bin/python3');
    const name = `gbdt.train_${rows}_rows_${trees}_trees_depth_${depth}`;
    reportFigure({
      name: `${name}_s`,
      value: ours.seconds,
      unit: 's',
      ...(xgb
        ? {
            baseline: 'xgboost 1.7 hist, 1 thread, process',
            baselineValue: xgb.seconds,
            ratio: xgb.seconds / ours.seconds,
          }
        : {}),
      target: '≤ 2× xgboost (ratio ≥ 0.5)',
    });
    reportFigure({
      name: `${name}_cpu_s`,
      value: ours.cpuSeconds,
      unit: 's',
      ...(xgb
        ? {
            baseline: 'xgboost 1.7 hist, 1 thread, process',
            baselineValue: xgb.cpuSeconds,
            ratio: xgb.cpuSeconds / ours.cpuSeconds,
          }
        : {}),
    });
    reportFigure({
      name: `${name}_heldout_auc`,
      value: ourAuc,
      unit: 'auc',
      ...(xgb ? { baseline: 'xgboost 1.7 hist', baselineValue: xgb.auc, ratio: ourAuc / xgb.auc } : {}),
      target: 'within 0.01 of xgboost',
    });
    reportFigure({
      name: `${name}_peak_rss_mb`,
      value: ours.peakRssMb,
      unit: 'MB',
      ...(xgb
        ? { baseline: 'xgboost 1.7 hist', baselineValue: xgb.peakRssMb, ratio: xgb.peakRssMb / ours.peakRssMb }
        : {}),
      target: '≤ xgboost',
    });
  } finally {
    if (args.includes('--keep')) console.log(`files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run bench -- detect [--points 1000000] [--skip-nab]`
// 1. The generic detector on the NAB development series (../shared/data/nab-dev, when present),
//    scored by ../shared/tools/nab-score at the detector's own fixed threshold; prints the
//    per-series table that docs/benchmarks.md keeps, and the score on the tuning half and the
//    held-out half of the series (bench/support/nab-breakdown.ts) and per group.
// 2. `telmark detect` as a process on a synthetic series of --points points (a daily wave, noise,
//    a spike every 50,000 points); the baseline is the same file read and written by `cat`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alertThreshold, detectSeries, readSeriesCsv } from '../src/anomalies/index.ts';
import { reportFigure, timeMs } from './report.ts';
import { splitNabSeries, type WindowTiming, windowTiming } from './support/nab-breakdown.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared');
const scoredCategories = ['realAWSCloudwatch', 'artificialWithAnomaly', 'realTweets'];

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { points: { type: 'string', default: '1000000' }, 'skip-nab': { type: 'boolean', default: false } },
  });
  const work = mkdtempSync(join(tmpdir(), 'telmark-bench-detect-'));
  try {
    if (!values['skip-nab']) benchNab(work);
    await benchMillion(work, Number(values.points));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function benchNab(work: string): void {
  const data = join(shared, 'data', 'nab-dev');
  const scorer = join(shared, 'tools', 'nab-score');
  if (!existsSync(data) || !existsSync(scorer)) {
    console.log(`NAB: skipped (${data} not found)`);
    return;
  }
  const labels = JSON.parse(readFileSync(join(data, 'windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const out = join(work, 'nab');
  let points = 0;
  const timings = new Map<string, WindowTiming>();
  const started = process.hrtime.bigint();
  for (const category of [...scoredCategories, 'artificialNoAnomaly']) {
    mkdirSync(join(out, category), { recursive: true });
    for (const file of readdirSync(join(data, category)).filter((f) => f.endsWith('.csv'))) {
      const series = readSeriesCsv(join(data, category, file));
      const { scores } = detectSeries(series.timesSec, series.values);
      points += scores.length;
      const lines = ['timestamp,anomaly_score'];
      for (let i = 0; i < scores.length; i++) lines.push(`${series.times[i]},${scores[i]}`);
      writeFileSync(join(out, category, file), `${lines.join('\n')}\n`);
      const key = `${category}/${file}`;
      const alerts = scores.map((score) => (score >= alertThreshold ? 1 : 0));
      timings.set(key, windowTiming(alerts, windowRows(series.times, labels[key] ?? [])));
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const common = ['--results', out, '--labels', join(data, 'windows.json'), '--data', data];
  const atThreshold = [...common, '--threshold', String(alertThreshold)];
  const scoredKeys = Object.keys(labels).filter((key) => scoredCategories.includes(key.split('/')[0] as string));
  const halves = splitNabSeries(scoredKeys);
  const scoreOf = (series: string[]): NabEntry => {
    const listFile = join(work, 'series.txt');
    writeFileSync(listFile, `${series.join('\n')}\n`);
    const json = JSON.parse(
      execFileSync(scorer, [...atThreshold, '--profile', 'standard', '--json', '--series-file', listFile], {
        encoding: 'utf8',
      }),
    ) as NabJson;
    return profileEntry(json, 'standard');
  };
  console.log(execFileSync(scorer, [...atThreshold, '--per-series', ...scoredCategories], { encoding: 'utf8' }));
  console.log(execFileSync(scorer, [...common, '--profile', 'standard', ...scoredCategories], { encoding: 'utf8' }));
  console.log(
    execFileSync(scorer, [...atThreshold, '--per-series', 'artificialNoAnomaly'], {
      encoding: 'utf8',
    }),
  );
  const groups: [string, string[]][] = [
    ['all 33', scoredKeys],
    ['tuning half (even positions by name)', halves.tuning],
    ['held-out half (odd positions by name)', halves.heldOut],
    ...scoredCategories.map((c): [string, string[]] => [c, scoredKeys.filter((key) => key.startsWith(`${c}/`))]),
  ];
  console.log(`Standard profile at the fixed threshold ${alertThreshold}:`);
  console.log(
    '| series | standard | windows hit | false alarms | first alert in first / second half of window | false before first window / after a window |',
  );
  console.log('|---|---|---|---|---|---|');
  const results = new Map<string, NabEntry>();
  for (const [name, keys] of groups) {
    const entry = scoreOf(keys);
    results.set(name, entry);
    const t = sumTimings(keys.map((key) => timings.get(key)).filter((x): x is WindowTiming => x !== undefined));
    console.log(
      `| ${name} | ${entry.score.toFixed(1)} | ${entry.windows_hit}/${entry.windows_hit + entry.windows_missed} | ${entry.fp_detections} | ${t.early} / ${t.late} | ${t.falseBeforeFirstWindow} / ${t.falseAfterWindow} |`,
    );
  }
  const standard = (results.get('all 33') as NabEntry).score;
  reportFigure({
    name: 'detect.nab_standard_fixed_threshold',
    value: standard,
    unit: 'NAB score',
    baseline: 'HTM (published, optimised threshold)',
    baselineValue: 70.6,
    ratio: standard / 70.6,
    target: '>= 65',
  });
  reportFigure({
    name: 'detect.nab_standard_tuning_half',
    value: (results.get(groups[1]?.[0] as string) as NabEntry).score,
    unit: 'NAB score',
  });
  reportFigure({
    name: 'detect.nab_standard_held_out_half',
    value: (results.get(groups[2]?.[0] as string) as NabEntry).score,
    unit: 'NAB score',
  });
  reportFigure({ name: 'detect.nab_points_per_s', value: points / seconds, unit: 'points/s' });
}

/** Row indices of labelled windows (NAB writes times as `YYYY-MM-DD HH:MM:SS.ffffff`). */
function windowRows(times: string[], windows: [string, string][]): [number, number][] {
  const row = new Map<string, number>();
  times.forEach((time, i) => {
    if (!row.has(time)) row.set(time, i);
  });
  const at = (time: string) => row.get(time.replace(/\.0+$/, '')) ?? -1;
  return windows.map(([start, end]): [number, number] => [at(start), at(end)]).filter(([s, e]) => s >= 0 && e >= 0);
}

function sumTimings(all: WindowTiming[]): WindowTiming {
  const sum: WindowTiming = { early: 0, late: 0, missed: 0, falseBeforeFirstWindow: 0, falseAfterWindow: 0 };
  for (const t of all) for (const k of Object.keys(sum) as (keyof WindowTiming)[]) sum[k] += t[k];
  return sum;
}

interface NabEntry {
  score: number;
  windows_hit: number;
  windows_missed: number;
  fp_detections: number;
}

interface NabJson {
  profiles: Record<string, NabEntry>;
}

function profileEntry(json: NabJson, profile: string): NabEntry {
  const entry = json.profiles[profile];
  if (!entry) throw new Error(`nab-score --json: no profile ${profile}`);
  return entry;
}

async function benchMillion(work: string, points: number): Promise<void> {
  const file = join(work, 'series.csv');
  const lines = ['timestamp,value'];
  let s = 12345;
  for (let i = 0; i < points; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const noise = (s / 4294967296 - 0.5) * 4;
    const spike = i > 0 && i % 50_000 === 0 ? 40 : 0;
    lines.push(
      `${1_400_000_000 + 300 * i},${(50 + 10 * Math.sin((i * 2 * Math.PI) / 288) + noise + spike).toFixed(3)}`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const out = join(work, 'scores.csv');
  let alerts = 0;
  const ms = await timeMs(() => {
    const result = spawnSync(
      process.execPath,
      [join(root, 'bin', 'telmark.js'), 'detect', '--series', file, '--format', 'csv'],
      { encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    if (result.status !== 0) throw new Error(`telmark detect failed: ${result.stderr}`);
    writeFileSync(out, result.stdout);
    for (const line of result.stdout.split('\n')) if (line.endsWith(',1')) alerts++;
  });
  const catMs = await timeMs(() => spawnSync('cat', [file], { maxBuffer: 1 << 30 }));
  console.log(
    `telmark detect on ${points.toLocaleString('en')} points: ${alerts} alerts (${points / 50_000 - 1} spikes planted)`,
  );
  reportFigure({ name: 'detect.million_point_series_s', value: ms / 1000, unit: 's', target: 'seconds' });
  reportFigure({
    name: 'detect.million_point_series_points_per_s',
    value: points / (ms / 1000),
    unit: 'points/s',
    baseline: 'cat of the same file',
    baselineValue: points / (catMs / 1000),
    ratio: catMs / ms,
  });
}

// `npm run bench -- scale [--subscribers N] [--days D] [--signalling-per-sub K] [--repeat R] [--partitions P]
//   [--rules FILE] [--only warehouse|stream]`
// The same generated feed loaded into DuckDB (the baseline, measured in this run), into a 1-shard and
// into a 2-shard ClickHouse cluster on loopback (`telmark cluster`, Debian's clickhouse-server 18.16):
// load rows/s (validation included: the ClickHouse load validates in a staging DuckDB first) and the
// latency of a few KPIs and of every analysis carried to ClickHouse. On one machine both shards share its cores: the figures show the overhead of
// the scale-out path, not its gain, which needs one machine per shard (docs/scale-out.md).
// Then the feed's signalling through NATS JetStream with 1 and 2 stream workers (support/scale-stream.ts).
// About 10 million rows: --subscribers 46000 --days 7 (24 signalling events per subscriber a day give
// ~31 rows per subscriber-day, 93 % of them signalling). Progress goes to stderr; the temporary folder,
// the shards, the NATS nodes and the worker processes are removed or stopped on exit, Ctrl-C included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clickhouseAnalyses, runAnalysis } from '../src/analysis/index.ts';
import { startClickHouseShards, stopClickHouseShards } from '../src/cluster/index.ts';
import { defaultGenerateOptions, generateDemoOperator } from '../src/demo/index.ts';
import { queryMetric } from '../src/metrics/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { ClickHouseWarehouse, loadDirectoryToClickHouse } from '../src/warehouse/clickhouse/index.ts';
import type { QueryWarehouse } from '../src/warehouse/index.ts';
import { type LoadProgress, loadDirectory } from '../src/warehouse/load/index.ts';
import { Warehouse } from '../src/warehouse/warehouse.ts';
import { reportFigure, timeMs } from './report.ts';
import { onCleanup } from './support/bench-cleanup.ts';
import { buildCompiled, repository } from './support/processes.ts';
import { benchScaleStream, type StreamRun } from './support/scale-stream.ts';

const kpis: [string, { by?: string[] }][] = [
  ['subscribers', { by: ['month', 'county'] }],
  ['active_rate', { by: ['day'] }],
  ['orders', { by: ['channel'] }],
  ['calls_12580', { by: ['area_type'] }],
];

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '20000' },
      days: { type: 'string', default: '7' },
      'signalling-per-sub': { type: 'string', default: '24' },
      repeat: { type: 'string', default: '5' },
      partitions: { type: 'string', default: '8' },
      rules: { type: 'string', default: join(repository, 'examples', 'rules', 'heyuan.yaml') },
      only: { type: 'string' },
    },
  });
  const subscribers = Number(values.subscribers);
  const days = Number(values.days);
  const only = values.only;
  if (only !== undefined && only !== 'warehouse' && only !== 'stream')
    throw new Error(`--only must be warehouse or stream, not ${only}`);
  const began = performance.now();
  const progress = (text: string) =>
    process.stderr.write(`[scale ${((performance.now() - began) / 1000).toFixed(0)} s] ${text}\n`);
  const folder = mkdtempSync(join(tmpdir(), 'telmark-bench-scale-'));
  const removeFolder = onCleanup('temporary folder', () => rmSync(folder, { recursive: true, force: true }));
  const feeds = join(folder, 'feeds');
  try {
    progress(`generating ${subscribers} subscribers x ${days} days`);
    const generated = await generateDemoOperator({
      ...defaultGenerateOptions,
      subscribers,
      days,
      outDir: feeds,
      signallingDays: Array.from({ length: days }, (_, d) => d),
      signallingPerSubscriber: Number(values['signalling-per-sub']),
    });
    console.log(`feed: ${subscribers} subscribers x ${days} days, ${generated.rows} rows (signalling every day)`);
    if (only !== 'stream')
      await benchWarehouse({ folder, feeds, repeat: Number(values.repeat), progress, rows: generated.rows });
    if (only !== 'warehouse') {
      // The stream commands run as a user runs them: from the compiled dist/, not through tsx.
      buildCompiled();
      const result = await benchScaleStream({
        feeds,
        folder: join(folder, 'stream'),
        rulesFile: values.rules,
        partitions: Number(values.partitions),
        progress,
      });
      reportStream(result);
    }
  } finally {
    await removeFolder();
  }
}

async function benchWarehouse(options: {
  folder: string;
  feeds: string;
  repeat: number;
  rows: number;
  progress: (text: string) => void;
}): Promise<void> {
  const { folder, feeds, repeat, progress } = options;
  const duck = await Warehouse.open(join(folder, 'bench.duckdb'));
  let rows = 0;
  let duckKpiMs = 0;
  let duckAnalysisMs = 0;
  let duckLoadMs = 0;
  try {
    progress('loading into DuckDB');
    duckLoadMs = await timeMs(async () => {
      const summary = await loadDirectory(duck, feeds, { clock: systemClock, progress: loadProgress(progress) });
      rows = summary.rowsLoaded;
      console.log(`duckdb load: ${phases(summary)}`);
    });
    progress(`DuckDB: ${rows} rows in ${(duckLoadMs / 1000).toFixed(1)} s; KPIs and analyses`);
    duckKpiMs = await kpiLatency(duck, repeat);
    duckAnalysisMs = await analysisLatency(duck, repeat);
  } finally {
    duck.close();
  }
  rmSync(join(folder, 'bench.duckdb'), { force: true });

  const results: { shards: number; loadMs: number; kpiMs: number; analysisMs: number }[] = [];
  for (const shards of [1, 2]) {
    const nodes = join(folder, `nodes-${shards}`);
    const stopShards = onCleanup(`${shards} ClickHouse shard(s)`, () => stopClickHouseShards(nodes));
    try {
      const started = await startClickHouseShards(nodes, shards);
      const cluster = await ClickHouseWarehouse.open(started.warehouse);
      progress(`loading into ${shards} ClickHouse shard(s)`);
      const loadMs = await timeMs(async () => {
        const summary = await loadDirectoryToClickHouse(cluster, feeds, {
          clock: systemClock,
          progress: loadProgress(progress),
        });
        console.log(`clickhouse ${shards}-shard load: ${phases(summary)}`);
      });
      progress(`${shards} shard(s): loaded in ${(loadMs / 1000).toFixed(1)} s; KPIs and analyses`);
      const kpiMs = await kpiLatency(cluster, repeat);
      results.push({ shards, loadMs, kpiMs, analysisMs: await analysisLatency(cluster, repeat) });
    } finally {
      await stopShards();
    }
  }

  const rate = (ms: number) => rows / (ms / 1000);
  for (const r of results) {
    reportFigure({
      name: `scale.clickhouse_${r.shards}shard_load_rows_per_s`,
      value: rate(r.loadMs),
      unit: 'rows/s',
      baseline: 'duckdb load',
      baselineValue: rate(duckLoadMs),
      ratio: rate(r.loadMs) / rate(duckLoadMs),
    });
    reportFigure({
      name: `scale.clickhouse_${r.shards}shard_kpi_ms`,
      value: r.kpiMs,
      unit: 'ms',
      baseline: 'duckdb kpi',
      baselineValue: duckKpiMs,
      ratio: duckKpiMs / r.kpiMs,
    });
    reportFigure({
      name: `scale.clickhouse_${r.shards}shard_analysis_ms`,
      value: r.analysisMs,
      unit: 'ms',
      baseline: 'duckdb analysis',
      baselineValue: duckAnalysisMs,
      ratio: duckAnalysisMs / r.analysisMs,
    });
  }
}

/** Where a load's time went: on ClickHouse the first part is the staging validation and the shipping. */
function phases(summary: { loadMs: number; derivedMs: number }): string {
  return `files ${(summary.loadMs / 1000).toFixed(1)} s, aggregates ${(summary.derivedMs / 1000).toFixed(1)} s`;
}

/** One stderr line per feed the loader starts and per step of the aggregates. */
function loadProgress(progress: (text: string) => void): LoadProgress {
  return {
    fileStarted: (label, index, count, bytesDone, bytesTotal) =>
      progress(
        `  ${label} (file ${index + 1}/${count}, ${Math.round((100 * bytesDone) / Math.max(1, bytesTotal))} % of bytes)`,
      ),
    derivedStep: (step, done, total) => progress(`  derived ${step} (${done}/${total})`),
  };
}

function reportStream(result: Awaited<ReturnType<typeof benchScaleStream>>): void {
  const rate = (run: StreamRun) => run.events / run.seconds;
  const file = result.file;
  console.log(
    `stream: ${result.events} signalling events; published into 3 JetStream nodes (replicas 3) in ${result.publishSeconds.toFixed(1)} s`,
  );
  reportFigure({
    name: 'scale.stream_publish_events_per_s',
    value: result.events / result.publishSeconds,
    unit: 'events/s',
    baseline: 'telmark stream from a file',
    baselineValue: rate(file),
    ratio: result.events / result.publishSeconds / rate(file),
  });
  for (const { count, run } of result.workers)
    reportFigure({
      name: `scale.stream_${count}worker_events_per_s`,
      value: rate(run),
      unit: 'events/s',
      baseline: 'telmark stream from a file',
      baselineValue: rate(file),
      ratio: rate(run) / rate(file),
    });
  for (const [label, run] of [
    ['file', file],
    ...result.workers.map((w) => [`${w.count} worker(s)`, w.run] as const),
  ] as const) {
    const c = run.counted;
    const missing = result.events - c.events - c.rejected;
    console.log(
      `${label}: ${c.events} events processed, ${c.rejected} rejected, ${c.duplicates} lines seen again${missing !== 0 ? `; ${missing} of the ${result.events} published events NOT processed` : ''}`,
    );
  }
  const [one, two] = result.workers.map((w) => w.run);
  console.log(
    `triggers written: file ${file.triggers} (${file.messages} messages), 1 worker ${one!.triggers} (${one!.messages}), 2 workers ${two!.triggers} (${two!.messages})`,
  );
  if (one!.triggers !== two!.triggers || one!.messages !== two!.messages)
    throw new Error(`1 worker and 2 workers wrote different triggers: ${one!.triggers} and ${two!.triggers}`);
  if (file.triggers !== one!.triggers)
    console.log(`note: the file run wrote ${file.triggers} triggers, the workers ${one!.triggers}`);
}

/** Median over `repeat` rounds of the mean time of the KPIs above (the first round warms caches). */
async function kpiLatency(warehouse: QueryWarehouse, repeat: number): Promise<number> {
  const rounds: number[] = [];
  for (let i = 0; i <= repeat; i++) {
    const ms = await timeMs(async () => {
      for (const [name, request] of kpis) await queryMetric(warehouse, name, request);
    });
    if (i > 0) rounds.push(ms / kpis.length);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
}

/**
 * The analyses timed on both engines: those that run on ClickHouse, less `marketing`, which there needs
 * the operational store's outbox (an empty one on a fresh feed: nothing to time).
 */
const timedAnalyses = clickhouseAnalyses.filter((kind) => kind !== 'marketing');

/** The same for the analyses that run on ClickHouse (mean per analysis, unfiltered, default range). */
async function analysisLatency(warehouse: QueryWarehouse, repeat: number): Promise<number> {
  const rounds: number[] = [];
  for (let i = 0; i <= Math.min(repeat, 3); i++) {
    const ms = await timeMs(async () => {
      for (const kind of timedAnalyses) await runAnalysis(warehouse, kind);
    });
    if (i > 0) rounds.push(ms / timedAnalyses.length);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
}

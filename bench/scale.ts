// `npm run bench -- scale [--subscribers N] [--days D] [--signalling-per-sub K] [--repeat R]`
// The same generated feed loaded into DuckDB (the baseline, measured in this run), into a 1-shard and
// into a 2-shard ClickHouse cluster on loopback (`telmark cluster`, Debian's clickhouse-server 18.16):
// load rows/s (validation included: the ClickHouse load validates in a staging DuckDB first) and the
// latency of a few KPIs and of every analysis carried to ClickHouse. On one machine both shards share its cores: the figures show the overhead of
// the scale-out path, not its gain, which needs one machine per shard (docs/scale-out.md).
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
import { loadDirectory } from '../src/warehouse/load/index.ts';
import { Warehouse } from '../src/warehouse/warehouse.ts';
import { reportFigure, timeMs } from './report.ts';

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
    },
  });
  const subscribers = Number(values.subscribers);
  const days = Number(values.days);
  const repeat = Number(values.repeat);
  const folder = mkdtempSync(join(tmpdir(), 'telmark-bench-scale-'));
  const feeds = join(folder, 'feeds');
  try {
    await generateDemoOperator({
      ...defaultGenerateOptions,
      subscribers,
      days,
      outDir: feeds,
      signallingDays: Array.from({ length: days }, (_, d) => d),
      signallingPerSubscriber: Number(values['signalling-per-sub']),
    });

    const duck = await Warehouse.open(join(folder, 'bench.duckdb'));
    let rows = 0;
    const duckLoadMs = await timeMs(async () => {
      rows = (await loadDirectory(duck, feeds, { clock: systemClock })).rowsLoaded;
    });
    console.log(`feed: ${subscribers} subscribers x ${days} days, ${rows} rows (signalling every day)`);
    const duckKpiMs = await kpiLatency(duck, repeat);
    const duckAnalysisMs = await analysisLatency(duck, repeat);

    const results: { shards: number; loadMs: number; kpiMs: number; analysisMs: number }[] = [];
    for (const shards of [1, 2]) {
      const nodes = join(folder, `nodes-${shards}`);
      const started = await startClickHouseShards(nodes, shards);
      try {
        const cluster = await ClickHouseWarehouse.open(started.warehouse);
        const loadMs = await timeMs(() => loadDirectoryToClickHouse(cluster, feeds, { clock: systemClock }));
        const kpiMs = await kpiLatency(cluster, repeat);
        results.push({ shards, loadMs, kpiMs, analysisMs: await analysisLatency(cluster, repeat) });
      } finally {
        await stopClickHouseShards(nodes);
      }
    }
    duck.close();

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
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
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

/** The same for the analyses that run on ClickHouse (mean per analysis, unfiltered, default range). */
async function analysisLatency(warehouse: QueryWarehouse, repeat: number): Promise<number> {
  const rounds: number[] = [];
  for (let i = 0; i <= Math.min(repeat, 3); i++) {
    const ms = await timeMs(async () => {
      for (const kind of clickhouseAnalyses) await runAnalysis(warehouse, kind);
    });
    if (i > 0) rounds.push(ms / clickhouseAnalyses.length);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
}

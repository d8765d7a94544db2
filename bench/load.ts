// `npm run bench -- load [--subscribers N] [--signalling-per-sub K] [--days D]`
// Validated load of generated feeds against DuckDB's own read_csv of the same files into plain
// tables (no checks, no quarantine, no transactions per file), measured in the same run.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultGenerateOptions, generateDemoOperator } from '../src/demo/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { loadDirectory } from '../src/warehouse/load/index.ts';
import { Warehouse } from '../src/warehouse/warehouse.ts';
import { reportFigure, timeMs } from './report.ts';

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '200000' },
      days: { type: 'string', default: '30' },
      'signalling-per-sub': { type: 'string', default: '50' },
      keep: { type: 'boolean', default: false },
    },
  });
  const subscribers = Number(values.subscribers);
  const days = Number(values.days);
  const dir = join(tmpdir(), `telmark-bench-load-${subscribers}-${days}`);
  const ours = join(tmpdir(), `telmark-bench-load-${process.pid}.duckdb`);
  const base = join(tmpdir(), `telmark-bench-base-${process.pid}.duckdb`);
  try {
    const generateMs = await timeMs(() =>
      generateDemoOperator({
        ...defaultGenerateOptions,
        subscribers,
        days,
        outDir: dir,
        signallingDays: [days - 1],
        signallingPerSubscriber: Number(values['signalling-per-sub']),
      }),
    );
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort();
    const bytes = files.reduce((a, f) => a + statSync(join(dir, f)).size, 0);
    console.log(
      `generated ${files.length} files, ${(bytes / 1e6).toFixed(0)} MB in ${(generateMs / 1000).toFixed(1)} s`,
    );

    // Baseline: DuckDB's own reader, sniffing types, into one plain table per file.
    const baseline = await Warehouse.open(base, { readOnly: false });
    let baselineRows = 0;
    let baselineSignallingRows = 0;
    let baselineSignallingMs = 0;
    // CPU time of the process (DuckDB's threads included): on a machine shared with other work, wall
    // time measures the neighbours as much as the load.
    let baselineSignallingCpuMs = 0;
    const baselineMs = await timeMs(async () => {
      for (const [i, file] of files.entries()) {
        const started = Date.now();
        const cpuStarted = process.cpuUsage();
        const n = await baseline.scalar(`CREATE TABLE t${i} AS SELECT * FROM read_csv('${join(dir, file)}')`);
        baselineRows += n;
        if (file.startsWith('signalling_')) {
          baselineSignallingRows += n;
          baselineSignallingMs += Date.now() - started;
          baselineSignallingCpuMs += cpuMs(cpuStarted);
        }
      }
      await baseline.run('CHECKPOINT');
    });
    baseline.close();

    // How long each derived table takes to rebuild: the step callback marks where each one starts.
    const stepMs = new Map<string, number>();
    let step: { name: string; started: number } | undefined;
    let signallingCpuMs = 0;
    let signallingCpu: NodeJS.CpuUsage | undefined;
    const endSignalling = () => {
      if (signallingCpu) signallingCpuMs += cpuMs(signallingCpu);
      signallingCpu = undefined;
    };
    const stepTimer = {
      fileStarted(label: string) {
        endSignalling();
        if (label.startsWith('signalling')) signallingCpu = process.cpuUsage();
      },
      derivedStep(name: string) {
        endSignalling();
        if (step) stepMs.set(step.name, (stepMs.get(step.name) ?? 0) + performance.now() - step.started);
        step = { name, started: performance.now() };
      },
    };
    const warehouse = await Warehouse.open(ours);
    let loadMs = 0;
    let derivedMs = 0;
    let rows = 0;
    let signallingRows = 0;
    let signallingMs = 0;
    const totalMs = await timeMs(async () => {
      const summary = await loadDirectory(warehouse, dir, { clock: systemClock, progress: stepTimer });
      loadMs = summary.loadMs;
      derivedMs = summary.derivedMs;
      rows = summary.rowsLoaded;
      for (const f of summary.files) {
        if (f.feed === 'signalling') {
          signallingRows += f.rowsLoaded;
          signallingMs += f.ms;
        }
      }
      if (summary.rowsQuarantined > 0) console.log(`warning: ${summary.rowsQuarantined} rows quarantined`);
      const proven = summary.files.filter((f) => f.provenByBytes === true).map((f) => f.fileName);
      console.log(
        `files proven clean by the byte pass (loaded without per-row checks): ${proven.length} of ${summary.files.length}${proven.some((n) => n.startsWith('signalling')) ? ', the signalling file among them' : ''}`,
      );
      await warehouse.run('CHECKPOINT');
    });
    warehouse.close();

    const rate = (n: number, ms: number) => n / (ms / 1000);
    console.log(`rows: ${rows} (baseline ${baselineRows}); signalling rows: ${signallingRows}`);
    reportFigure({
      name: 'load.validated_rows_per_s',
      value: rate(rows, loadMs),
      unit: 'rows/s',
      baseline: 'duckdb read_csv',
      baselineValue: rate(baselineRows, baselineMs),
      ratio: rate(rows, loadMs) / rate(baselineRows, baselineMs),
      target: 'ratio >= 0.5',
    });
    reportFigure({
      name: 'load.signalling_rows_per_s',
      value: rate(signallingRows, signallingMs),
      unit: 'rows/s',
      baseline: 'duckdb read_csv',
      baselineValue: rate(baselineSignallingRows, baselineSignallingMs),
      ratio: rate(signallingRows, signallingMs) / rate(baselineSignallingRows, baselineSignallingMs),
      target: 'ratio >= 0.7',
    });
    reportFigure({
      name: 'load.signalling_cpu_rows_per_s',
      value: rate(signallingRows, signallingCpuMs),
      unit: 'rows per CPU-second',
      baseline: 'duckdb read_csv',
      baselineValue: rate(baselineSignallingRows, baselineSignallingCpuMs),
      ratio: rate(signallingRows, signallingCpuMs) / rate(baselineSignallingRows, baselineSignallingCpuMs),
      target: 'ratio >= 0.7',
    });
    reportFigure({
      name: 'load.with_aggregates_rows_per_s',
      value: rate(rows, totalMs),
      unit: 'rows/s',
      baseline: 'duckdb read_csv',
      baselineValue: rate(baselineRows, baselineMs),
      ratio: rate(rows, totalMs) / rate(baselineRows, baselineMs),
    });
    reportFigure({ name: 'load.aggregates_ms', value: derivedMs, unit: 'ms' });
    console.log(
      `aggregates by table: ${[...stepMs].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
    );
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    for (const p of [ours, `${ours}.wal`, base, `${base}.wal`]) rmSync(p, { force: true });
  }
}

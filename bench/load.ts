// `npm run bench -- load [--subscribers N] [--signalling-per-sub K] [--days D] [--rounds R]`
// Validated load of generated feeds against DuckDB's own read_csv of the same files into plain
// tables (no checks, no quarantine, no transactions per file), measured in the same run.
// The signalling file is then loaded again in R rounds, ours and read_csv's in turn, each time into
// the warehouse as it stood before it: one load of each says as much about the moment it ran in as
// about the code (the same code gave wall ratios of 0.64 to 0.75 in three quiet runs).
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultGenerateOptions, generateDemoOperator } from '../src/demo/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { loadDirectory } from '../src/warehouse/load/index.ts';
import { Warehouse } from '../src/warehouse/warehouse.ts';
import { reportFigure, timeMs } from './report.ts';
import { median } from './support/processes.ts';

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
      rounds: { type: 'string', default: '5' },
      keep: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`--rounds must be a whole number, not ${values.rounds}`);
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
    if (rounds > 0) await signallingRounds(dir, files, rounds);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    for (const p of [ours, `${ours}.wal`, base, `${base}.wal`]) rmSync(p, { force: true });
  }
}

interface Measured {
  rows: number;
  ms: number;
  cpuMs: number;
}

/**
 * The signalling files loaded again and again, ours and read_csv in turn (the order swapped every
 * round, so a drift of the machine falls on both): ours into a copy of the warehouse holding every
 * other feed (as the whole load left it before the signalling batch), read_csv into a new table.
 * The figures are medians over the rounds; the ratio is the median of each round's own ratio.
 */
async function signallingRounds(dir: string, files: readonly string[], rounds: number): Promise<void> {
  const work = join(tmpdir(), `telmark-bench-rounds-${process.pid}`);
  const others = join(work, 'others');
  const signalling = join(work, 'signalling');
  mkdirSync(others, { recursive: true });
  mkdirSync(signalling, { recursive: true });
  try {
    for (const file of files)
      symlinkSync(join(dir, file), join(file.startsWith('signalling_') ? signalling : others, file));
    const signallingFiles = files.filter((f) => f.startsWith('signalling_'));
    if (signallingFiles.length === 0) return;
    const before = join(work, 'before-signalling.duckdb');
    const warehouse = await Warehouse.open(before);
    await loadDirectory(warehouse, others, { clock: systemClock, derived: false });
    await warehouse.run('CHECKPOINT');
    warehouse.close();

    const oursRound = async (round: number): Promise<Measured> => {
      const path = join(work, `ours-${round}.duckdb`);
      copyFileSync(before, path);
      const copy = await Warehouse.open(path);
      try {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const summary = await loadDirectory(copy, signalling, { clock: systemClock, derived: false });
        const ms = performance.now() - started;
        if (summary.rowsQuarantined > 0 || summary.files.some((f) => f.provenByBytes !== true))
          console.log(`warning: round ${round + 1}: the signalling file took the checked path`);
        return { rows: summary.rowsLoaded, ms, cpuMs: cpuMs(cpu) };
      } finally {
        copy.close();
        for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
      }
    };
    const theirsRound = async (round: number): Promise<Measured> => {
      const path = join(work, `read-csv-${round}.duckdb`);
      const plain = await Warehouse.open(path, { readOnly: false });
      try {
        const cpu = process.cpuUsage();
        const started = performance.now();
        let rows = 0;
        for (const [i, file] of signallingFiles.entries())
          rows += await plain.scalar(`CREATE TABLE t${i} AS SELECT * FROM read_csv('${join(dir, file)}')`);
        return { rows, ms: performance.now() - started, cpuMs: cpuMs(cpu) };
      } finally {
        plain.close();
        for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
      }
    };

    const wall: number[] = [];
    const cpu: number[] = [];
    const oursRates: Measured[] = [];
    const theirRates: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      let ours: Measured;
      let theirs: Measured;
      if (round % 2 === 0) {
        theirs = await theirsRound(round);
        ours = await oursRound(round);
      } else {
        ours = await oursRound(round);
        theirs = await theirsRound(round);
      }
      if (ours.rows !== theirs.rows)
        throw new Error(`round ${round + 1}: ${ours.rows} rows loaded, read_csv read ${theirs.rows}`);
      oursRates.push(ours);
      theirRates.push(theirs);
      wall.push(theirs.ms / ours.ms);
      cpu.push(theirs.cpuMs / ours.cpuMs);
      console.log(
        `round ${round + 1}: ours ${(ours.ms / 1000).toFixed(2)} s (CPU ${(ours.cpuMs / 1000).toFixed(2)} s), read_csv ${(theirs.ms / 1000).toFixed(2)} s (CPU ${(theirs.cpuMs / 1000).toFixed(2)} s): wall ratio ${wall.at(-1)!.toFixed(3)}, CPU ratio ${cpu.at(-1)!.toFixed(3)}`,
      );
    }
    const rows = oursRates[0]!.rows;
    const perSecond = (ms: number) => rows / (ms / 1000);
    console.log(
      `signalling rounds (${rounds}, ${rows} rows): wall ratio ${Math.min(...wall).toFixed(3)}–${Math.max(...wall).toFixed(3)}, CPU ratio ${Math.min(...cpu).toFixed(3)}–${Math.max(...cpu).toFixed(3)}`,
    );
    reportFigure({
      name: 'load.signalling_rounds_rows_per_s',
      value: perSecond(median(oursRates.map((m) => m.ms))),
      unit: 'rows/s',
      baseline: 'duckdb read_csv',
      baselineValue: perSecond(median(theirRates.map((m) => m.ms))),
      ratio: median(wall),
      target: 'ratio >= 0.7 (median of the rounds)',
    });
    reportFigure({
      name: 'load.signalling_rounds_cpu_rows_per_s',
      value: perSecond(median(oursRates.map((m) => m.cpuMs))),
      unit: 'rows per CPU-second',
      baseline: 'duckdb read_csv',
      baselineValue: perSecond(median(theirRates.map((m) => m.cpuMs))),
      ratio: median(cpu),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

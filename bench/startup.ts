// Start-up as a user meets it (issue 16): `telmark --help` and `telmark rules --help` as whole
// processes, against `node -e 0` in the same run. Runs are interleaved so that load on a shared
// machine falls on all three alike; the median of each is reported. Target: ≤ 200 ms on a quiet machine.
//
// Then a first `telmark demo` from a clean folder at a small size (`--subscribers N`, default 3000):
// the time until "Telmark is running" against `telmark generate` + `telmark load` of the same size
// (the least a first start must do before serving), and the slowest /api/health answer while the
// demo campaigns and models run in the background against the slowest of 20 answers once idle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFigure } from './report.ts';
import { measureDemoFirstStart } from './support/demo-first-start.ts';
import { buildCompiled, median, repository, telmarkBin, timeProcess } from './support/processes.ts';

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--subscribers');
  const subscribers = at === -1 ? 3000 : Number(args[at + 1]);
  const runs = Number(at === 0 ? 9 : (args[0] ?? 9));
  buildCompiled();
  const commands = {
    node: ['-e', '0'],
    help: [telmarkBin, '--help'],
    rulesHelp: [telmarkBin, 'rules', '--help'],
    tsxHelp: [telmarkBin, '--help'],
  };
  const times: Record<keyof typeof commands, number[]> = { node: [], help: [], rulesHelp: [], tsxHelp: [] };
  const cpu: Record<keyof typeof commands, number[]> = { node: [], help: [], rulesHelp: [], tsxHelp: [] };
  for (let i = 0; i < runs; i++) {
    for (const key of Object.keys(commands) as (keyof typeof commands)[]) {
      if (key === 'tsxHelp') process.env.TELMARK_TSX = '1';
      const result = timeProcess(commands[key]);
      times[key].push(result.ms);
      cpu[key].push(result.userMs);
      delete process.env.TELMARK_TSX;
    }
  }
  const node = median(times.node);
  console.log(`median of ${runs} interleaved runs; node -e 0 ${node.toFixed(0)} ms`);
  console.log(
    `CPU time (user), medians: ${Object.entries(cpu)
      .map(([key, values]) => `${key} ${median(values).toFixed(0)} ms`)
      .join(', ')}`,
  );
  for (const [key, name] of [
    ['help', 'startup.help_ms'],
    ['rulesHelp', 'startup.rules_help_ms'],
    ['tsxHelp', 'startup.help_through_tsx_ms'],
  ] as const) {
    const value = median(times[key]);
    reportFigure({
      name,
      value,
      unit: 'ms',
      baseline: 'node -e 0',
      baselineValue: node,
      ratio: node / value,
      target: key === 'tsxHelp' ? 'development fallback, for comparison' : '≤ 200 ms',
    });
  }
  await firstStart(subscribers);
}

async function firstStart(subscribers: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-bench-first-start-'));
  let baselineMs: number;
  try {
    const db = join(dir, 'base.duckdb');
    const data = join(dir, 'data');
    baselineMs =
      timeProcess([
        telmarkBin,
        'generate',
        '--out',
        data,
        '--subscribers',
        String(subscribers),
        '--signalling-days',
        'last',
      ]).ms + timeProcess([telmarkBin, '--db', db, 'load', data]).ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const run = await measureDemoFirstStart({
    bin: telmarkBin,
    cwd: repository,
    subscribers,
    doneWhen: /background work (done|stopped)/,
    idleProbes: 20,
  });
  console.log(
    `telmark demo --subscribers ${subscribers}: running after ${(run.toRunningMs / 1000).toFixed(1)} s, background work ${(run.backgroundMs / 1000).toFixed(1)} s, ${run.probes} health probes, stopped in ${run.stopMs.toFixed(0)} ms (exit ${run.exitCode})`,
  );
  reportFigure({
    name: 'startup.demo_first_start_to_running_ms',
    value: run.toRunningMs,
    unit: 'ms',
    baseline: 'telmark generate + telmark load, same size',
    baselineValue: baselineMs,
    ratio: baselineMs / run.toRunningMs,
  });
  reportFigure({
    name: 'startup.demo_background_slowest_health_ms',
    value: run.slowestHealthMs,
    unit: 'ms',
    baseline: 'slowest of 20 /api/health answers once idle',
    baselineValue: run.idleSlowestHealthMs,
    ratio: run.idleSlowestHealthMs / run.slowestHealthMs,
  });
}

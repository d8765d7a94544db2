// Start-up as a user meets it (issue 16): `telmark --help` and `telmark rules --help` as whole
// processes, against `node -e 0` in the same run. Runs are interleaved so that load on a shared
// machine falls on all three alike; the median of each is reported. Target: ≤ 200 ms on a quiet machine.
import { reportFigure } from './report.ts';
import { buildCompiled, median, telmarkBin, timeProcess } from './support/processes.ts';

export async function run(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 9);
  buildCompiled();
  const commands = {
    node: ['-e', '0'],
    help: [telmarkBin, '--help'],
    rulesHelp: [telmarkBin, 'rules', '--help'],
    tsxHelp: [telmarkBin, '--help'],
  };
  const times: Record<keyof typeof commands, number[]> = { node: [], help: [], rulesHelp: [], tsxHelp: [] };
  for (let i = 0; i < runs; i++) {
    for (const key of Object.keys(commands) as (keyof typeof commands)[]) {
      if (key === 'tsxHelp') process.env.TELMARK_TSX = '1';
      times[key].push(timeProcess(commands[key]).ms);
      delete process.env.TELMARK_TSX;
    }
  }
  const node = median(times.node);
  console.log(`median of ${runs} interleaved runs; node -e 0 ${node.toFixed(0)} ms`);
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
}

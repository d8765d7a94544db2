// Association rules as a user meets them (issue 16): `telmark rules` as a whole process on basket
// files (start-up, reading, FP-growth, rules, writing the CSV to a file), against node-fpgrowth run as
// a process on the same file in the same run. The files are look-alikes of Groceries, FIMI retail and
// T10I4D100K (bench/support/basket-files.ts); node-fpgrowth finds itemsets only, so the itemset counts
// must agree. `npm run bench -- rules [runs]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFigure } from './report.ts';
import { benchmarkBasketFiles } from './support/basket-files.ts';
import { buildCompiled, median, repository, telmarkBin, timeProcess } from './support/processes.ts';

const targets: Record<string, string> = {
  groceries_like: '≤ 200 ms (Groceries)',
  retail_like: '≤ 700 ms (FIMI retail)',
  t10i4d100k_like: '≤ 1500 ms (T10I4D100K)',
};

export async function run(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 3);
  buildCompiled();
  const files = benchmarkBasketFiles(join(repository, '.telmark', 'bench-baskets'));
  const scratch = mkdtempSync(join(tmpdir(), 'telmark-bench-rules-'));
  try {
    for (const file of files) {
      const out = join(scratch, `${file.name}.csv`);
      const ours: number[] = [];
      const oursCpu: number[] = [];
      let note = '';
      for (let i = 0; i < runs; i++) {
        const result = timeProcess(
          [
            telmarkBin,
            'rules',
            '--baskets',
            file.path,
            '--min-support',
            String(file.minSupport),
            '--min-confidence',
            '0.5',
            '--format',
            'csv',
          ],
          out,
        );
        ours.push(result.ms);
        oursCpu.push(result.userMs);
        note = result.stderr.trim();
      }
      const match = /min count (\d+): (\d+) frequent itemsets, (\d+) rules/.exec(note);
      if (!match) throw new Error(`unexpected telmark rules note: ${note}`);
      const [minCount, itemsets] = [Number(match[1]), Number(match[2])];
      // the peer as often as ours while it is quick (Groceries); once when it takes its minute
      const peerArgs = [join(repository, 'bench', 'support', 'node-fpgrowth-process.mjs'), file.path, String(minCount)];
      const peer = timeProcess(peerArgs);
      const peerTimes = [peer.ms];
      const peerCpu = [peer.userMs];
      while (peerTimes.length < runs && peer.ms < 10_000) {
        const again = timeProcess(peerArgs);
        peerTimes.push(again.ms);
        peerCpu.push(again.userMs);
      }
      const peerItemsets = (JSON.parse(peer.stdout) as { itemsets: number }).itemsets;
      if (peerItemsets !== itemsets)
        throw new Error(`${file.name}: node-fpgrowth found ${peerItemsets} itemsets, telmark ${itemsets}`);
      console.log(
        `${file.name} (look-alike of ${file.mimics}): ${note}; node-fpgrowth agrees on ${peerItemsets} itemsets`,
      );
      const value = median(ours);
      reportFigure({
        name: `rules.process_${file.name}_ms`,
        value,
        unit: 'ms',
        baseline: 'node-fpgrowth 1.2.1 process (itemsets only)',
        baselineValue: median(peerTimes),
        ratio: median(peerTimes) / value,
        target: targets[file.name],
      });
      // CPU time (user) of the same runs: what a busy machine inflates least
      reportFigure({
        name: `rules.process_${file.name}_cpu_user_ms`,
        value: median(oursCpu),
        unit: 'ms',
        baseline: 'node-fpgrowth 1.2.1 process (itemsets only), CPU user',
        baselineValue: median(peerCpu),
        ratio: median(peerCpu) / median(oursCpu),
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

import type { Command } from 'commander';
import { defaultGenerateOptions } from '../../demo/generation-context.ts';
import type { GenerateFlags } from '../generate-flags.ts';
import { formatRows } from '../output.ts';

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description("write the demo operator's feeds (Heyuan, planted patterns; same seed, same bytes)")
    .requiredOption('--out <dir>', 'directory to write the feeds to')
    .option('--subscribers <n>', 'number of subscribers', String(defaultGenerateOptions.subscribers))
    .option('--days <d>', 'days of daily feeds', String(defaultGenerateOptions.days))
    .option('--start <date>', 'first day, YYYY-MM-DD', defaultGenerateOptions.start)
    .option('--seed <s>', 'random seed (0..4294967295)', String(defaultGenerateOptions.seed))
    .option('--signalling-days <list>', 'days with signalling: all, last, none or YYYY-MM-DD,...', 'last')
    .option('--signalling-per-sub <n>', 'mean signalling events per subscriber per day', '24')
    .option('--gzip', 'compress every file (.csv.gz)')
    .action(async (flags: GenerateFlags) => {
      const { makeContext } = await import('../context.ts');
      const { generateDemoOperator } = await import('../../demo/index.ts');
      const { parseGenerateFlags } = await import('../generate-flags.ts');
      const context = makeContext(program.opts());
      const options = parseGenerateFlags(flags);
      const started = performance.now();
      const summary = await generateDemoOperator(options, context.progress);
      const seconds = (performance.now() - started) / 1000;
      const byFeed = new Map<string, { feed: string; files: number; rows: number; mb: number }>();
      for (const file of summary.files) {
        const row = byFeed.get(file.feed) ?? { feed: file.feed, files: 0, rows: 0, mb: 0 };
        row.files++;
        row.rows += file.rows;
        row.mb = Math.round((row.mb + file.bytes / 1e6) * 10) / 10;
        byFeed.set(file.feed, row);
      }
      context.print(formatRows([...byFeed.values()], context.format));
      context.note(
        `wrote ${summary.files.length} files, ${summary.rows} rows, ${(summary.bytes / 1e6).toFixed(1)} MB to ${options.outDir} in ${seconds.toFixed(1)} s`,
      );
    });
}

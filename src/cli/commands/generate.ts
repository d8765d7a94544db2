import type { Command } from 'commander';
import { dayNumberOf } from '../../demo/calendar-text.ts';
import { defaultGenerateOptions, type GenerateOptions } from '../../demo/generation-context.ts';
import { AppError } from '../../shared/errors.ts';
import { formatRows } from '../output.ts';

export interface GenerateFlags {
  out?: string;
  subscribers?: string;
  days?: string;
  start?: string;
  seed?: string;
  signallingDays?: string;
  signallingPerSub?: string;
  gzip?: boolean;
}

function integerFlag(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.replace(/_/g, '')))
    throw new AppError('USAGE', `${flag} must be a whole number from ${min} to ${max}, not "${value}"`);
  const number = Number(value.replace(/_/g, ''));
  if (number < min || number > max) throw new AppError('USAGE', `${flag} must be from ${min} to ${max}, not ${number}`);
  return number;
}

/** Turns the command line into generator options, or a usage error that says which flag and why. */
export function parseGenerateFlags(flags: GenerateFlags): GenerateOptions {
  if (!flags.out) throw new AppError('USAGE', '--out DIR is required: the directory to write the feeds to');
  const defaults = defaultGenerateOptions;
  const start = flags.start ?? defaults.start;
  const startDay = dayNumberOf(start);
  if (startDay === undefined) throw new AppError('USAGE', `--start must be a date YYYY-MM-DD, not "${start}"`);
  const days = integerFlag('--days', flags.days, defaults.days, 1, 366);
  const perSub = flags.signallingPerSub ?? String(defaults.signallingPerSubscriber);
  const signallingPerSubscriber = Number(perSub);
  if (!/^\d+(\.\d+)?$/.test(perSub) || signallingPerSubscriber > 1000)
    throw new AppError('USAGE', `--signalling-per-sub must be a number of events from 0 to 1000, not "${perSub}"`);
  return {
    outDir: flags.out,
    subscribers: integerFlag('--subscribers', flags.subscribers, defaults.subscribers, 1, 99_999_999),
    days,
    start,
    seed: integerFlag('--seed', flags.seed, defaults.seed, 0, 0xffffffff),
    signallingDays: parseSignallingDays(flags.signallingDays ?? defaults.signallingDays, startDay, days),
    signallingPerSubscriber,
    gzip: flags.gzip === true,
  };
}

function parseSignallingDays(value: string, startDay: number, days: number): number[] {
  if (value === 'none') return [];
  if (value === 'last') return [days - 1];
  if (value === 'all') return Array.from({ length: days }, (_, d) => d);
  const offsets = value.split(',').map((text) => {
    const iso = /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}` : text;
    const day = dayNumberOf(iso.trim());
    if (day === undefined)
      throw new AppError(
        'USAGE',
        `--signalling-days takes all, last, none or dates YYYY-MM-DD separated by commas, not "${text}"`,
      );
    if (day < startDay || day >= startDay + days)
      throw new AppError('USAGE', `--signalling-days: ${text} is outside the generated window`, {
        hint: 'pick dates from --start to --start + --days - 1',
      });
    return day - startDay;
  });
  return [...new Set(offsets)].sort((a, b) => a - b);
}

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

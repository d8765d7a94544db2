// `telmark generate`'s flags turned into generator options. Apart from the command module because
// it needs the demo calendar (whose lookup tables cost ~20 ms to build), loaded only when generating.
import { dayNumberOf } from '../demo/calendar-text.ts';
import { defaultGenerateOptions, type GenerateOptions } from '../demo/generation-context.ts';
import { AppError } from '../shared/errors.ts';

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

// `telmark generate`: writes every feed of the contract for the demo operator, streaming to disk.
// Order: catalogue snapshots, subscribers (building the population), the month before the window's
// billing, then day by day the business feeds, the signalling where asked, and each month's billing
// once its last day is done.
import { mkdir } from 'node:fs/promises';
import { AppError } from '../shared/errors.ts';
import { allocateMonthUsage, clearMonthUsage, synthesisePriorMonth, writeBillingMonth } from './billing-month.ts';
import type { BusinessWriters } from './business-day.ts';
import { writeBusinessDay } from './business-day.ts';
import { compactDateText, dayNumberOf, monthKeyOf, monthText } from './calendar-text.ts';
import { writeCatalogueFeeds } from './catalogue-feeds.ts';
import { demoMap } from './demo-map.ts';
import { maxSubscribers } from './demo-msisdn.ts';
import { FeedWriter, type WrittenFile } from './feed-writer.ts';
import type { GenerateOptions, GenerationContext } from './generation-context.ts';
import { writeSignallingDay } from './signalling-day.ts';
import { msisdnTableOf } from './signalling-encoding.ts';
import { writeSubscriberFeeds } from './subscriber-feeds.ts';
import { allocatePopulation } from './subscriber-population.ts';

/** What a run reports as it goes: a phase label and work units done of a known total. */
export interface GenerationProgress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  stop(): void;
}

export interface GenerationSummary {
  files: WrittenFile[];
  rows: number;
  bytes: number;
}

const silent: GenerationProgress = { start() {}, update() {}, stop() {} };

export function checkGenerateOptions(options: GenerateOptions): number {
  const problems: string[] = [];
  const startDay = dayNumberOf(options.start);
  if (startDay === undefined) problems.push(`start "${options.start}" must be a date YYYY-MM-DD`);
  if (!Number.isInteger(options.subscribers) || options.subscribers < 1 || options.subscribers > maxSubscribers)
    problems.push(`subscribers must be an integer from 1 to ${maxSubscribers}`);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 366)
    problems.push('days must be an integer from 1 to 366');
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff)
    problems.push('seed must be an integer from 0 to 4294967295');
  if (!(options.signallingPerSubscriber >= 0 && options.signallingPerSubscriber <= 1000))
    problems.push('signalling events per subscriber must be from 0 to 1000');
  for (const day of options.signallingDays)
    if (!Number.isInteger(day) || day < 0 || day >= options.days)
      problems.push(`signalling day ${day} is outside the window`);
  if (problems.length > 0) throw new AppError('INPUT_INVALID', `cannot generate: ${problems.join('; ')}`);
  return startDay!;
}

export async function generateDemoOperator(
  options: GenerateOptions,
  progress: GenerationProgress = silent,
): Promise<GenerationSummary> {
  const startDay = checkGenerateOptions(options);
  await mkdir(options.outDir, { recursive: true });
  const context: GenerationContext = {
    options,
    seed: options.seed >>> 0,
    startDay,
    map: demoMap(),
    population: allocatePopulation(options.subscribers),
    msisdnBytes: msisdnTableOf(options.subscribers),
  };
  const n = options.subscribers;
  const signallingDays = new Set(options.signallingDays);
  // Work units: one per subscriber for the build and each business day, 24 per signalling hour share.
  const total = n * (2 + options.days + 2 * signallingDays.size);
  let done = 0;
  progress.start(total, 'subscribers');
  const files: WrittenFile[] = [];
  try {
    files.push(...(await writeCatalogueFeeds(options.outDir, context.map, options.gzip)));
    files.push(...(await writeSubscriberFeeds(context, (k) => progress.update(k, 'subscribers'))));
    done = n;

    const usage = allocateMonthUsage(n);
    const firstMonth = monthKeyOf(startDay);
    synthesisePriorMonth(context, firstMonth - 1, usage);
    files.push(await writeBilling(context, firstMonth - 1, usage));
    clearMonthUsage(usage);
    done += n;
    progress.update(done, 'billing');

    for (let day = 0; day < options.days; day++) {
      const period = compactDateText(startDay + day);
      progress.update(done, `day ${period}`);
      const writers: BusinessWriters = {
        orders: FeedWriter.open(options.outDir, `orders_${period}.csv`, 'orders', options.gzip),
        sms: FeedWriter.open(options.outDir, `sms_${period}.csv`, 'sms', options.gzip),
        wap: FeedWriter.open(options.outDir, `wap_${period}.csv`, 'wap', options.gzip),
        ivr: FeedWriter.open(options.outDir, `ivr_${period}.csv`, 'ivr', options.gzip),
        crbt: FeedWriter.open(options.outDir, `crbt_${period}.csv`, 'crbt', options.gzip),
        web: FeedWriter.open(options.outDir, `web_${period}.csv`, 'web', options.gzip),
      };
      await writeBusinessDay(context, day, writers, usage);
      for (const writer of Object.values(writers)) files.push(await writer.close());
      done += n;
      progress.update(done);
      if (signallingDays.has(day)) {
        const writer = FeedWriter.open(options.outDir, `signalling_${period}.csv`, 'signalling', options.gzip);
        const base = done;
        await writeSignallingDay(context, day, writer, (hour) =>
          progress.update(base + Math.round((2 * n * (hour + 1)) / 24), `signalling ${period}`),
        );
        files.push(await writer.close());
        done = base + 2 * n;
      }
      const month = monthKeyOf(startDay + day);
      if (day === options.days - 1 || monthKeyOf(startDay + day + 1) !== month) {
        files.push(await writeBilling(context, month, usage));
        clearMonthUsage(usage);
      }
    }
  } finally {
    progress.stop();
  }
  return {
    files,
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
  };
}

async function writeBilling(
  context: GenerationContext,
  monthKey: number,
  usage: ReturnType<typeof allocateMonthUsage>,
) {
  const period = monthText(monthKey).replace('-', '');
  const writer = FeedWriter.open(context.options.outDir, `billing_${period}.csv`, 'billing', context.options.gzip);
  await writeBillingMonth(context, monthKey, usage, writer);
  return writer.close();
}

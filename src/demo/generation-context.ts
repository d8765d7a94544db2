// What every step of a generation run shares: the options, the map, the packed population.
import type { DemoMap } from './demo-map.ts';
import type { SubscriberPopulation } from './subscriber-population.ts';

export interface GenerateOptions {
  outDir: string;
  subscribers: number;
  days: number;
  /** First day of the window, YYYY-MM-DD. */
  start: string;
  seed: number;
  /** Day offsets (0 = start) that get a signalling file. */
  signallingDays: readonly number[];
  /** Mean signalling events per subscriber per day. */
  signallingPerSubscriber: number;
  gzip: boolean;
}

export const defaultGenerateOptions: Omit<GenerateOptions, 'outDir' | 'signallingDays'> & {
  signallingDays: 'last';
} = {
  subscribers: 20_000,
  days: 30,
  start: '2026-03-01',
  seed: 12580,
  signallingDays: 'last',
  signallingPerSubscriber: 24,
  gzip: false,
};

export interface GenerationContext {
  options: GenerateOptions;
  seed: number;
  /** Day number (days since 1970-01-01) of the first day. */
  startDay: number;
  map: DemoMap;
  population: SubscriberPopulation;
  /** Every subscriber's MSISDN as 11 ASCII digits, for the byte-level row encoders. */
  msisdnBytes: Uint8Array;
}

/** Share of a day's events in each hour (business and signalling alike), summing to 1. */
export const hourShares: readonly number[] = (() => {
  const raw = [10, 5, 4, 3, 3, 6, 15, 35, 50, 60, 65, 65, 60, 55, 60, 60, 60, 60, 65, 70, 70, 60, 40, 25];
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
})();

export const hourCumulative: Float64Array = (() => {
  const out = new Float64Array(24);
  let sum = 0;
  hourShares.forEach((share, h) => {
    sum += share;
    out[h] = sum;
  });
  out[23] = 1;
  return out;
})();

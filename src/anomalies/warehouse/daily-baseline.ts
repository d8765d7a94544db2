// The expected value of a daily KPI from its own past, with a weekly rhythm: the median of the same
// weekday in up to four earlier weeks (at least two),
// and a robust spread from the week-on-week differences of the last four weeks. Counts get a
// Poisson floor (sqrt of the expected count), so a slice that is usually empty does not turn 0 -> 2
// into a alarm. Pure and causal: day t is judged from days before t only.
import { normalTail } from '../series/normal-tail.ts';

export interface DayJudgement {
  expected: number;
  spread: number;
  z: number;
  pValue: number;
}

export interface BaselineOptions {
  /** Counts (orders, cancellations) get the Poisson floor on the spread. */
  count: boolean;
}

/** Days of history needed before a day is judged: two weeks, so the weekday has two earlier values. */
export const minimumHistoryDays = 14;

export function judgeDay(values: Float64Array, t: number, options: BaselineOptions): DayJudgement | undefined {
  if (t < minimumHistoryDays || !Number.isFinite(values[t] as number)) return undefined;
  const sameWeekday: number[] = [];
  for (let k = 1; k <= 4 && t - 7 * k >= 0; k++) {
    const v = values[t - 7 * k] as number;
    if (Number.isFinite(v)) sameWeekday.push(v);
  }
  // Two missing weekdays (days not loaded) leave no rhythm to judge against.
  if (sameWeekday.length < 2) return undefined;
  const expected = median(sameWeekday);
  const weekly: number[] = [];
  for (let s = Math.max(7, t - 28); s < t; s++) {
    const d = (values[s] as number) - (values[s - 7] as number);
    if (Number.isFinite(d)) weekly.push(d);
  }
  const spreadFromHistory =
    weekly.length >= 5
      ? (1.4826 * medianAbsoluteDeviation(weekly)) / Math.SQRT2
      : 1.4826 * medianAbsoluteDeviation(slice(values, Math.max(0, t - 14), t));
  const floor = options.count ? Math.sqrt(Math.max(expected, 1)) : Math.max(0.01 * Math.abs(expected), 1e-9);
  const spread = Math.max(spreadFromHistory, floor);
  const z = ((values[t] as number) - expected) / spread;
  return { expected, spread, z, pValue: Math.min(1, 2 * normalTail(Math.abs(z))) };
}

function slice(values: Float64Array, from: number, to: number): number[] {
  return Array.from(values.subarray(Math.max(0, from), to)).filter(Number.isFinite);
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function medianAbsoluteDeviation(values: number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

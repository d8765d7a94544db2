// Calendar arithmetic of the analyses: the comparison periods and how much of a week or month bucket
// lies inside the chosen range (a bucket cut by the range must not look like a collapse).
import type { TimeGrain } from '../metrics/index.ts';

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return isoOf(dayNumber(date) + days);
}

/** The range of the same length just before [from, to]. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const length = dayNumber(to) - dayNumber(from) + 1;
  return { from: addDays(from, -length), to: addDays(from, -1) };
}

/** The same day `years` later (earlier when negative); 29 February becomes 1 March. */
export function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoOf(Date.UTC(year + years, month - 1, day) / DAY_MS);
}

/** First day of the month `months` after the month of `date` (negative: before). */
export function addMonths(date: string, months: number): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** For a monthly figure (bills): the calendar months just before those the range touches, as many. */
export function previousMonths(from: string, to: string): { from: string; to: string } {
  const span = monthIndex(to) - monthIndex(from) + 1;
  return { from: addMonths(from, -span), to: addDays(addMonths(from, 0), -1) };
}

function monthIndex(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return year * 12 + month;
}

/** Days of the bucket starting at `period` (a week from Monday, a month from the 1st). */
function bucketDays(grain: TimeGrain, period: string): number {
  if (grain === 'day') return 1;
  if (grain === 'week') return 7;
  return dayNumber(addMonths(period, 1)) - dayNumber(period);
}

export interface PeriodCoverage {
  period: string;
  /** Days of the bucket inside the range. */
  days: number;
  /** Days of the whole bucket. */
  of: number;
  /** First day of the bucket inside the range. */
  firstDay: string;
}

/** The buckets of `periods` that the range [from, to] cuts (the first and last week or month, typically). */
export function partialPeriods(
  grain: TimeGrain,
  periods: readonly string[],
  from: string,
  to: string,
): PeriodCoverage[] {
  const partial: PeriodCoverage[] = [];
  for (const period of new Set(periods)) {
    const of = bucketDays(grain, period);
    const start = Math.max(dayNumber(period), dayNumber(from));
    const end = Math.min(dayNumber(period) + of - 1, dayNumber(to));
    const days = end - start + 1;
    if (days < of) partial.push({ period, days, of, firstDay: isoOf(start) });
  }
  return partial;
}

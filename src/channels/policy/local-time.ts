// The operator's local wall time, held as milliseconds of that wall time read as if it were UTC (as the
// stream does with event time), so days, weeks, months and quiet hours are plain arithmetic and never
// depend on the machine's time zone. The offset comes from configuration; the instant from a Clock.
import type { Clock } from '../../shared/clock.ts';
import { sqlTimestamp } from '../../warehouse/index.ts';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export function localNowMs(clock: Clock, utcOffsetMinutes: number): number {
  return clock.nowMs() + utcOffsetMinutes * MS_PER_MINUTE;
}

export function dayStartMs(localMs: number): number {
  return Math.floor(localMs / MS_PER_DAY) * MS_PER_DAY;
}

/** Weeks start on Monday. */
export function weekStartMs(localMs: number): number {
  const day = dayStartMs(localMs);
  const weekday = new Date(day).getUTCDay();
  return day - ((weekday + 6) % 7) * MS_PER_DAY;
}

export function monthStartMs(localMs: number): number {
  const d = new Date(localMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** `2026-03-01 08:15:00[.250]`, the form DuckDB reads into a TIMESTAMP. */
export function formatLocal(localMs: number): string {
  return sqlTimestamp(localMs);
}

/** Reads a TIMESTAMP as the warehouse returns it (`2026-03-01 08:15:00[.250]`). */
export function parseLocal(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

export interface QuietWindow {
  fromMinute: number;
  toMinute: number;
}

export function compileQuietHours(quiet: 'off' | { from: string; to: string }): QuietWindow | undefined {
  if (quiet === 'off') return undefined;
  const minutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
  const window = { fromMinute: minutes(quiet.from), toMinute: minutes(quiet.to) };
  return window.fromMinute === window.toMinute ? undefined : window;
}

/** When `localMs` falls in the quiet window, the local time it ends (the next morning); otherwise undefined. */
export function quietUntil(window: QuietWindow | undefined, localMs: number): number | undefined {
  if (!window) return undefined;
  const day = dayStartMs(localMs);
  const minute = Math.floor((localMs - day) / MS_PER_MINUTE);
  const { fromMinute: from, toMinute: to } = window;
  const end = (dayOffset: number) => day + dayOffset * MS_PER_DAY + to * MS_PER_MINUTE;
  if (from < to) return minute >= from && minute < to ? end(0) : undefined;
  if (minute >= from) return end(1);
  if (minute < to) return end(0);
  return undefined;
}

// Campaign times are the operator's local wall time (like the outbox and the order feeds they are
// compared with): the Clock's instant shifted by the configured offset, as DuckDB TIMESTAMP text.
import type { Clock } from '../shared/clock.ts';

export function localTimestamp(clock: Clock, utcOffsetMinutes: number): string {
  return new Date(clock.nowMs() + utcOffsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** spring (Mar–May), summer, autumn, winter of a `YYYY-MM-DD…` time. */
export function seasonOf(time: string): 'spring' | 'summer' | 'autumn' | 'winter' {
  const month = Number(time.slice(5, 7));
  if (month >= 3 && month <= 5) return 'spring';
  if (month >= 6 && month <= 8) return 'summer';
  if (month >= 9 && month <= 11) return 'autumn';
  return 'winter';
}

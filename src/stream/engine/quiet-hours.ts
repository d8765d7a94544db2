// Quiet hours in event time: no message is sent between `from` and `to` (which may span midnight).
import type { QuietHours } from '../rules/rule-schema.ts';
import { minuteOfDay } from '../events/event-time.ts';

export interface QuietWindow {
  fromMinute: number;
  toMinute: number;
}

export function compileQuietHours(quiet: QuietHours): QuietWindow | undefined {
  if (quiet === 'off') return undefined;
  const minutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
  return { fromMinute: minutes(quiet.from), toMinute: minutes(quiet.to) };
}

/** True when the event time falls in the window; `from` is inclusive and `to` exclusive. */
export function isQuiet(window: QuietWindow | undefined, tsMs: number): boolean {
  if (!window || window.fromMinute === window.toMinute) return false;
  const minute = minuteOfDay(tsMs);
  return window.fromMinute < window.toMinute
    ? minute >= window.fromMinute && minute < window.toMinute
    : minute >= window.fromMinute || minute < window.toMinute;
}

// Event time is the operator's local wall time as written in the feeds (`YYYY-MM-DD HH:MM:SS[.mmm]`).
// It is held as milliseconds of that wall time read as if it were UTC, so day boundaries and quiet hours
// are plain arithmetic and never depend on the machine's time zone. A time that names its zone (`Z`,
// `+08:00`, `-0530`) is an instant: it is moved to the operator's local wall time (config
// `stream.utcOffsetMinutes`), so `2026-03-01T02:00:00Z` and `2026-03-01 10:00:00` are the same event
// time in Heyuan (UTC+8).
import { defaultConfig } from '../../config/config.ts';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

const zero = 48;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - zero;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

export const MS_PER_SECOND = 1000;

/** The operator's offset east of UTC when none is given (config `stream.utcOffsetMinutes`). */
export const DEFAULT_UTC_OFFSET_MINUTES = defaultConfig.stream.utcOffsetMinutes;

/**
 * Parses `2026-03-01 08:15:00`, `2026-03-01T08:15:00.250`, or either with a zone (`Z`, `+08:00`,
 * `+0800`, `+08`) into local wall time at `utcOffsetMinutes`; NaN when malformed.
 */
export function parseEventTime(text: string, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  const length = text.length;
  if (length < 19) return Number.NaN;
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return Number.NaN;
  const sep = text.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let millis = 0;
  let end = 19;
  if (length > 19 && text.charCodeAt(19) === 46) {
    let scale = 100;
    end = 20;
    while (end < length && end < 23) {
      const d = text.charCodeAt(end) - zero;
      if (d < 0 || d > 9) break;
      millis += d * scale;
      scale /= 10;
      end++;
    }
  }
  // Minutes to add to the written wall time to reach local wall time: 0 when no zone is written.
  let shiftMinutes = 0;
  if (end < length) {
    const zone = zoneMinutes(text, end);
    if (Number.isNaN(zone)) return Number.NaN;
    shiftMinutes = utcOffsetMinutes - zone;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  // Date.UTC would roll 2026-02-31 over into March: reject instead of moving the event.
  if (day > daysInMonth(year, month)) return Number.NaN;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * MS_PER_SECOND +
    millis +
    shiftMinutes * MS_PER_MINUTE
  );
}

/** Minutes east of UTC of the zone written from `at` to the end (`Z`, `±HH:MM`, `±HHMM`, `±HH`); NaN if none. */
function zoneMinutes(text: string, at: number): number {
  const rest = text.length - at;
  const first = text.charCodeAt(at);
  if (first === 90 /* Z */) return rest === 1 ? 0 : Number.NaN;
  if (first !== 43 /* + */ && first !== 45 /* - */) return Number.NaN;
  const sign = first === 43 ? 1 : -1;
  let hours: number;
  let minutes = 0;
  if (rest === 3) hours = digits(text, at + 1, 2);
  else if (rest === 5) {
    hours = digits(text, at + 1, 2);
    minutes = digits(text, at + 3, 2);
  } else if (rest === 6 && text.charCodeAt(at + 3) === 58 /* : */) {
    hours = digits(text, at + 1, 2);
    minutes = digits(text, at + 4, 2);
  } else return Number.NaN;
  if (!(hours <= 14) || !(minutes <= 59)) return Number.NaN;
  return sign * (hours * 60 + minutes);
}

/** Local wall time (as event times are held) of a wall-clock instant, at the operator's offset. */
export function localWallTime(instantMs: number, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return instantMs + utcOffsetMinutes * MS_PER_MINUTE;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; no Date object). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** `2026-03-01 08:15:00.250` (milliseconds only when not zero). */
export function formatEventTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms % 1000 === 0 ? base : `${base}${iso.slice(19, 23)}`;
}

/** Day number since 1970-01-01 of an event time. */
export function eventDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Minute of the day (0..1439) of an event time. */
export function minuteOfDay(ms: number): number {
  return Math.floor((ms - eventDay(ms) * MS_PER_DAY) / MS_PER_MINUTE);
}

/** `2026-03-01` of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

// Dates as day numbers (days since 1970-01-01, UTC arithmetic, no clock, no time zone) and the text
// forms of the contract: YYYY-MM-DD, YYYY-MM, YYYYMMDD, HH:MM:SS with lookup tables for speed.

const MS_PER_DAY = 86_400_000;

export function dayNumberOf(isoDate: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

const dateTexts = new Map<number, string>();

/** YYYY-MM-DD of a day number (cached: subscribers and subscriptions print a few thousand distinct days a million times). */
export function dateText(dayNumber: number): string {
  let text = dateTexts.get(dayNumber);
  if (text === undefined) {
    text = new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
    if (dateTexts.size < 100_000) dateTexts.set(dayNumber, text);
  }
  return text;
}

/** YYYYMMDD, for daily file names. */
export function compactDateText(dayNumber: number): string {
  return dateText(dayNumber).replace(/-/g, '');
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === 0 || weekday === 6;
}

/** Year × 12 + month index of a day, to group days into billing months. */
export function monthKeyOf(dayNumber: number): number {
  const date = new Date(dayNumber * MS_PER_DAY);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function monthText(monthKey: number): string {
  return `${Math.floor(monthKey / 12)}-${String((monthKey % 12) + 1).padStart(2, '0')}`;
}

export function firstDayOfMonth(monthKey: number): number {
  return Date.UTC(Math.floor(monthKey / 12), monthKey % 12, 1) / MS_PER_DAY;
}

export function daysInMonth(monthKey: number): number {
  return firstDayOfMonth(monthKey + 1) - firstDayOfMonth(monthKey);
}

/** The same day of the month `months` later (negative = earlier), clamped to the month's end like SQL. */
export function addMonths(dayNumber: number, months: number): number {
  const date = new Date(dayNumber * MS_PER_DAY);
  const key = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const day = Math.min(date.getUTCDate(), daysInMonth(key));
  return firstDayOfMonth(key) + day - 1;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** 'HH:MM:SS' for every second of a day. */
export const clockTexts: readonly string[] = Array.from(
  { length: 86_400 },
  (_, s) => `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`,
);

/** '.mmm' for every millisecond of a second. */
export const millisTexts: readonly string[] = Array.from(
  { length: 1000 },
  (_, ms) => `.${String(ms).padStart(3, '0')}`,
);

/** Money in fen as yuan with two decimals. */
export function yuanText(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen - whole * 100;
  return `${whole}.${cents < 10 ? `0${cents}` : cents}`;
}

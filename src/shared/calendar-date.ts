// A day on the calendar as people type it (YYYY-MM-DD). Date.parse accepts 2026-02-30 and reads it
// as 2 March, so a day is checked by building it and reading it back.
import { AppError } from './errors.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The problem with a date given for `field`, or undefined when it is a real day. */
export function calendarDateProblem(field: string, text: string): string | undefined {
  if (isCalendarDate(text)) return undefined;
  return DATE.test(text)
    ? `${field} "${text}" is not a day of the calendar`
    : `${field} must be a date YYYY-MM-DD, not "${text}"`;
}

/** Refuses impossible days before anything is computed: one INPUT_INVALID naming every bad field. */
export function assertCalendarDates(fields: Readonly<Record<string, string | undefined>>): void {
  const problems = Object.entries(fields).flatMap(([field, text]) => {
    const problem = text === undefined ? undefined : calendarDateProblem(field, text);
    return problem ? [{ field, problem }] : [];
  });
  const first = problems[0];
  if (first) {
    throw new AppError('INPUT_INVALID', problems.map((p) => p.problem).join('; '), {
      location: { field: first.field },
      hint: 'give a day that exists, as YYYY-MM-DD',
    });
  }
}

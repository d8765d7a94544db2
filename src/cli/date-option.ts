// Date options are checked as they are parsed: an impossible day (2026-02-30) is a usage error
// (exit 2) before the warehouse is opened, the same refusal the API gives with a 400.
import { InvalidArgumentError } from 'commander';
import { calendarDateProblem } from '../shared/calendar-date.ts';

export function dateOption(flag: string): (value: string) => string {
  return (value) => {
    const problem = calendarDateProblem(flag, value);
    if (problem) throw new InvalidArgumentError(problem);
    return value;
  };
}

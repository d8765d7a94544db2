// The period a daily or monthly file stands for, from its name, widened by the tolerance: a row of
// `sms_20260308.csv` dated within a day of the 8th loads on its own date (late records of the day
// before, clocks a little off); further out it is quarantined. A bill's month is a month, not a
// moment: `billing_202603.csv` takes March's bills only, whatever the tolerance.
import type { FeedSpec } from '../../feeds/contract.ts';
import { sqlLiteral as quoteLiteral, sqlTimestamp as stamp } from '../sql-text.ts';
import type { PeriodSql } from './compile-feed-sql.ts';

export interface FilePeriod {
  /** First day of the period, YYYY-MM-DD. */
  day: string;
  /** `YYYY-MM-DD HH:MM:SS`: rows from here on are inside. */
  from: string;
  /** `YYYY-MM-DD HH:MM:SS`: rows from here on are outside. */
  until: string;
  label: string;
}

const DAY_MS = 86_400_000;

/** undefined for snapshots, which have no period. */
export function filePeriod(spec: FeedSpec, period: string | undefined, toleranceDays: number): FilePeriod | undefined {
  if (period === undefined || spec.kind === 'snapshot') return undefined;
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(4, 6)) - 1;
  if (spec.kind === 'monthly') {
    const start = Date.UTC(year, month, 1);
    return {
      day: stamp(start).slice(0, 10),
      from: stamp(start),
      until: stamp(Date.UTC(year, month + 1, 1)),
      label: stamp(start).slice(0, 7),
    };
  }
  const start = Date.UTC(year, month, Number(period.slice(6, 8)));
  const tolerance = Math.round(toleranceDays * DAY_MS);
  return {
    day: stamp(start).slice(0, 10),
    from: stamp(start - tolerance),
    until: stamp(start + DAY_MS + tolerance),
    label: `${stamp(start).slice(0, 10)} ± ${toleranceDays} day${toleranceDays === 1 ? '' : 's'}`,
  };
}

/** The period of one file as constants. */
export function periodSql(period: FilePeriod | undefined): PeriodSql | undefined {
  if (!period) return undefined;
  return {
    from: `TIMESTAMP ${quoteLiteral(period.from)}`,
    until: `TIMESTAMP ${quoteLiteral(period.until)}`,
    label: quoteLiteral(period.label),
  };
}

/** The periods of several files read in one statement, picked by the file name column `raw.<column>`. */
export function periodByFileSql(
  column: string,
  files: readonly { readPath: string; period: FilePeriod | undefined }[],
): PeriodSql | undefined {
  if (files.every((f) => f.period === undefined)) return undefined;
  const pick = (value: (p: FilePeriod) => string, type: string) =>
    `CASE raw."${column}" ${files
      .map((f) => `WHEN ${quoteLiteral(f.readPath)} THEN ${f.period ? value(f.period) : 'NULL'}`)
      .join(' ')} END::${type}`;
  return {
    from: pick((p) => `TIMESTAMP ${quoteLiteral(p.from)}`, 'TIMESTAMP'),
    until: pick((p) => `TIMESTAMP ${quoteLiteral(p.until)}`, 'TIMESTAMP'),
    label: pick((p) => quoteLiteral(p.label), 'VARCHAR'),
  };
}

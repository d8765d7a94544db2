// Which derived rows a loaded file makes stale, recorded in the same transaction as the file.
import type { FeedSpec } from '../../feeds/contract.ts';
import type { Warehouse } from '../warehouse.ts';
import { sqlIdentifier as ident } from '../sql-text.ts';
import { compiledFeed } from './compile-feed-sql.ts';
import type { FilePeriod } from './file-period.ts';

export interface DirtyFile {
  fileId: number;
  /** The file's period (a daily file's day), to count its rows dated on other days. */
  period?: FilePeriod | undefined;
  /** The rows by date, when the pass over the bytes counted them (a proven file): no count in SQL then. */
  rowsByDay?: ReadonlyMap<string, number> | undefined;
}

/**
 * Records which aggregates this file touches: a snapshot touches them all, a monthly feed (the bills)
 * the billing and segment aggregates, a daily feed the days it holds. For a daily file with its
 * period, returns how many of its rows are dated on another day than the file's (within the tolerance).
 */
export async function markDirtyDays(
  warehouse: Warehouse,
  spec: FeedSpec,
  { fileId, period, rowsByDay }: DirtyFile,
): Promise<number> {
  if (spec.kind === 'snapshot' || spec.kind === 'monthly') {
    const key = spec.kind === 'snapshot' ? 'rebuild_all' : 'rebuild_billing';
    await warehouse.run(`INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = '1'`, [
      key,
    ]);
    return 0;
  }
  if (spec.kind !== 'daily' || !spec.timeField) return 0;
  // One pass over the file's rows gives both the days to rebuild and the rows off the file's day.
  // Days become text after grouping: formatting every row's date first cost 6× the grouping.
  const days = rowsByDay
    ? [...rowsByDay].map(([day, n]) => ({ day, n }))
    : await warehouse.all<{ day: string; n: number }>(
        `SELECT CAST(day AS VARCHAR) AS day, n FROM (
       SELECT CAST(${ident(spec.timeField)} AS DATE) AS day, count(*)::INTEGER AS n
       FROM ${compiledFeed(spec.name).table} WHERE file_id = ? GROUP BY ALL)`,
        [fileId],
      );
  if (days.length > 0) {
    await warehouse.run(
      `INSERT OR IGNORE INTO dirty_days (day) VALUES ${days.map(() => '(CAST(? AS DATE))').join(', ')}`,
      days.map((d) => d.day),
    );
  }
  return period ? days.filter((d) => d.day !== period.day).reduce((a, d) => a + d.n, 0) : 0;
}

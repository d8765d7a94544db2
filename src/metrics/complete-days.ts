// Which loaded days are complete: every daily feed the KPIs are built from (orders and the usage
// feeds) has a file loaded for the day (the rule's SQL is warehouse/day-completeness-sql.ts, shared
// with the customer facts the load builds). A day with only some feeds (the demo campaigns' answer
// files hold orders only; a feed that arrives late) is not a fair day for a rate: its subscribers
// look inactive. Such days stay queryable, but the default period ends at the last complete day
// and the dashboard marks the others. Only feeds the warehouse has ever loaded count, so an
// operator without, say, web-portal logs still has complete days. Signalling is left out: it often
// comes as a stream rather than daily files, and the demo loads it for one day only.
import { completenessFeeds, dayCompletenessSql, type QueryWarehouse } from '../warehouse/index.ts';

export { completenessFeeds };

export interface CompleteDays {
  /** The last day for which every counted feed is loaded; null when no day is. */
  lastCompleteDay: string | null;
  /** Days with data (in agg_area_day) that miss one of the counted feeds, ascending. */
  incompleteDays: string[];
}

export async function loadCompleteDays(warehouse: QueryWarehouse): Promise<CompleteDays> {
  if (warehouse.engine === 'clickhouse') return loadCompleteDaysFromRegistry(warehouse);
  const rows = await warehouse.all<{ day: string; complete: boolean }>(
    `SELECT CAST(day AS VARCHAR) AS day, complete FROM (${dayCompletenessSql}) ORDER BY day`,
  );
  const complete = rows.filter((r) => r.complete);
  return {
    lastCompleteDay: complete.at(-1)?.day ?? null,
    incompleteDays: rows.filter((r) => !r.complete).map((r) => r.day),
  };
}

/**
 * The same answer from ClickHouse, with the counting done here: the registry and the list of days
 * are small, and 18.16 has no CTEs to write the query above in one statement.
 */
async function loadCompleteDaysFromRegistry(warehouse: QueryWarehouse): Promise<CompleteDays> {
  const files = await warehouse.all<{ feed: string; day: string }>(
    `SELECT DISTINCT feed, concat(substring(period, 1, 4), '-', substring(period, 5, 2), '-', substring(period, 7, 2)) AS day
     FROM load_files WHERE length(period) = 8 AND feed IN (${completenessFeeds.map(() => '?').join(', ')})`,
    [...completenessFeeds],
  );
  const dataDays = await warehouse.all<{ day: string }>(
    'SELECT DISTINCT toString(day) AS day FROM agg_area_day ORDER BY day',
  );
  const wanted = new Set(files.map((f) => f.feed)).size;
  const perDay = new Map<string, number>();
  for (const f of files) perDay.set(f.day, (perDay.get(f.day) ?? 0) + 1);
  const complete = dataDays.filter((d) => (perDay.get(d.day) ?? 0) === wanted);
  return {
    lastCompleteDay: complete.at(-1)?.day ?? null,
    incompleteDays: dataDays.filter((d) => (perDay.get(d.day) ?? 0) !== wanted).map((d) => d.day),
  };
}

// Which loaded days are complete: every daily feed the KPIs are built from (orders and the usage
// feeds) has a file loaded for the day (the rule's SQL is warehouse/day-completeness-sql.ts, shared
// with the customer facts the load builds). A day with only some feeds (the demo campaigns' answer
// files hold orders only; a feed that arrives late) is not a fair day for a rate: its subscribers
// look inactive. Such days stay queryable, but the default period ends at the last complete day
// and the dashboard marks the others. Only feeds the warehouse has ever loaded count, so an
// operator without, say, web-portal logs still has complete days. Signalling is left out: it often
// comes as a stream rather than daily files, and the demo loads it for one day only.
import { completenessFeeds, dayCompletenessSql, type Warehouse } from '../warehouse/index.ts';

export { completenessFeeds };

export interface CompleteDays {
  /** The last day for which every counted feed is loaded; null when no day is. */
  lastCompleteDay: string | null;
  /** Days with data (in agg_area_day) that miss one of the counted feeds, ascending. */
  incompleteDays: string[];
}

export async function loadCompleteDays(warehouse: Warehouse): Promise<CompleteDays> {
  const rows = await warehouse.all<{ day: string; complete: boolean }>(
    `SELECT CAST(day AS VARCHAR) AS day, complete FROM (${dayCompletenessSql}) ORDER BY day`,
  );
  const complete = rows.filter((r) => r.complete);
  return {
    lastCompleteDay: complete.at(-1)?.day ?? null,
    incompleteDays: rows.filter((r) => !r.complete).map((r) => r.day),
  };
}

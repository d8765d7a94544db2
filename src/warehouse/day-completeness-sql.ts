// Which loaded days are complete: every daily feed the KPIs are built from (orders and the usage feeds)
// has a file loaded for the day. Here, in the warehouse, because the load builds facts "as of the last
// complete day" (customer_facts) and the metrics pick their default period with the same rule
// (metrics/complete-days.ts says why a partial day is not a fair day). Only feeds the warehouse has
// ever loaded count, so an operator without, say, web-portal logs still has complete days.
// Signalling is left out: it often comes as a stream rather than daily files.
import { sqlLiteral } from './sql-text.ts';

export const completenessFeeds = ['orders', 'sms', 'wap', 'ivr', 'crbt', 'web'] as const;

/** One row per day with data (in agg_area_day): `day` (DATE) and whether it is `complete`. */
export const dayCompletenessSql = `
  WITH files AS (
    SELECT DISTINCT feed, CAST(strptime(period, '%Y%m%d') AS DATE) AS day
    FROM load_files
    WHERE replaced_by IS NULL AND period IS NOT NULL AND length(period) = 8
      AND feed IN (${completenessFeeds.map(sqlLiteral).join(', ')})
  ),
  wanted AS (SELECT count(DISTINCT feed) AS n FROM files),
  per_day AS (SELECT day, count(*) AS n FROM files GROUP BY day),
  data_days AS (SELECT DISTINCT day FROM agg_area_day)
  SELECT d.day, coalesce(p.n, 0) = (SELECT n FROM wanted) AS complete
  FROM data_days d LEFT JOIN per_day p USING (day)`;

/** A scalar expression: the last complete day, NULL when no day is. */
export const lastCompleteDaySql = `(SELECT max(day) FROM (${dayCompletenessSql}) WHERE complete)`;

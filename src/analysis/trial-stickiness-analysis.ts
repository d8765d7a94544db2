// New-user trial stickiness (新用户业务赠送粘性分析): subscriptions that came with free months,
// grouped into cohorts by the month they started; how many are still held month by month through
// and after the trial, day by day around the trial's end, and how use during the trial relates to
// cancelling when it ends.
import type { SqlParam } from '../warehouse/index.ts';
import { labelOf } from '../metrics/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { AnalysisResult, Bilingual } from './analysis-result.ts';
import { filterClause } from './filter-clause.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';

const phaseLabels: Record<string, Bilingual> = {
  trial: { zh: '赠送期内', en: 'in the trial' },
  after: { zh: '赠送期后', en: 'after the trial' },
};
const useLabels: Record<string, Bilingual> = {
  used: { zh: '使用过', en: 'used' },
  'not used': { zh: '未使用', en: 'not used' },
};

/** "2026-03 crbt" -> 2026-03 彩铃 / 2026-03 Ringback tone, the service named by the catalogue. */
function cohortLabels(
  context: AnalysisContext,
  cohorts: readonly Record<string, unknown>[],
): Record<string, Bilingual> {
  const labels: Record<string, Bilingual> = {};
  for (const row of cohorts) {
    const cohort = String(row.cohort);
    const month = cohort.slice(0, 7);
    const service = cohort.slice(8);
    const name = labelOf(context.catalogue, 'service', service) ?? { zh: service, en: service };
    labels[cohort] = { zh: `${month} ${name.zh}`, en: `${month} ${name.en}` };
  }
  return labels;
}

/** Months since the start shown for each cohort. */
export const COHORT_MONTHS = 6;
/** Days around the trial's end shown, and the window that counts as "cancelled at the end". */
export const DAYS_BEFORE_END = 7;
export const DAYS_AFTER_END = 14;
export const END_WINDOW_DAYS = 1;

const dims = (alias: string) =>
  ({ region: 'u.region', county: 'u.county', brand: 'u.brand', service: `${alias}.service_id` }) as const;

export async function trialStickinessAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const clickhouse = context.warehouse.engine === 'clickhouse';
  const [cohorts, aroundEnd, usage] = await Promise.all([
    clickhouse ? cohortRetentionClickHouse(context) : cohortRetention(context),
    clickhouse ? retentionAroundTrialEndClickHouse(context) : retentionAroundTrialEnd(context),
    clickhouse ? usageAgainstCancellationClickHouse(context) : usageAgainstCancellation(context),
  ]);
  return {
    kind: 'trial-stickiness',
    title: text('新用户业务赠送粘性分析', 'New-user trial stickiness'),
    from: context.from,
    to: context.to,
    sections: [
      {
        id: 'cohorts',
        title: text('赠送订购队列:逐月留存', 'Trial cohorts: share still subscribed, month by month'),
        note: text(
          '队列 = 首次赠送订购的月份 × 业务;首个加载日之前开始的队列只含当天仍在订的用户',
          'Cohort = month of the trial order × service; cohorts that started before the first loaded day hold only the subscriptions still open on it',
        ),
        chart: { kind: 'line', x: 'months_since', by: 'cohort', value: 'retention' },
        columns: [
          column('cohort', '队列', 'cohort', undefined, { labels: cohortLabels(context, cohorts) }),
          column('months_since', '订购后月数', 'months since order', 'count'),
          column('phase', '阶段', 'phase', undefined, { labels: phaseLabels }),
          column('cohort_size', '队列规模', 'cohort size', 'count'),
          column('retained', '仍在订', 'still subscribed', 'count'),
          column('retention', '留存率', 'retention', 'ratio'),
        ],
        rows: toResultRows(cohorts),
      },
      {
        id: 'trial-end',
        title: text('赠送期结束前后的留存(按天)', 'Retention around the end of the trial, by day'),
        note: text(
          '0 = 赠送期结束日;只含结束日在数据范围内的赠送订购',
          '0 = the day the free months end; trials ending inside the loaded range only',
        ),
        chart: { kind: 'line', x: 'day_offset', by: 'service', value: 'retention', markX: '0' },
        columns: [
          column('service', '业务', 'service'),
          column('day_offset', '距结束天数', 'days from trial end', 'count'),
          column('eligible', '观察用户', 'observed', 'count'),
          column('retained', '仍在订', 'still subscribed', 'count'),
          column('retention', '留存率', 'retention', 'ratio'),
        ],
        rows: toResultRows(aroundEnd),
      },
      {
        id: 'usage-vs-cancel',
        title: text('赠送期内是否使用 vs 到期退订', 'Use during the trial against cancelling at its end'),
        note: text(
          `到期退订 = 在赠送期结束日前后 ${END_WINDOW_DAYS} 天内退订`,
          `Cancelled at the end = within ${END_WINDOW_DAYS} day of the trial's end`,
        ),
        chart: { kind: 'bar', x: 'group', by: 'service', value: 'cancel_rate' },
        columns: [
          column('service', '业务', 'service'),
          column('group', '赠送期内', 'during the trial', undefined, { labels: useLabels }),
          column('trials', '赠送订购', 'trials', 'count'),
          column('cancelled_at_end', '到期退订', 'cancelled at the end', 'count'),
          column('cancel_rate', '到期退订率', 'cancellation rate at the end', 'ratio'),
          column('usage_per_trial', '人均使用次数', 'uses per trial', 'per_user'),
        ],
        rows: toResultRows(usage),
      },
    ],
  };
}

/** Trial subscriptions started on or before the end of the range, with the user's attributes. */
function trialsCte(context: AnalysisContext, params: SqlParam[]): string {
  params.push(context.to);
  const where = filterClause(context, dims('s'), params);
  // The subscribers only when a filter needs their attributes.
  const join = ['region', 'county', 'brand'].some((k) => k in context.filters)
    ? 'JOIN subscribers u ON u.msisdn = s.msisdn'
    : '';
  return `trials AS (
    SELECT s.msisdn, s.service_id, s.started_on, s.ended_on, s.trial_ends_on, s.trial_uses
    FROM subscriptions s ${join}
    WHERE s.trial AND s.trial_ends_on IS NOT NULL AND s.started_on <= CAST(? AS DATE)${where}
  )`;
}

async function cohortRetention(context: AnalysisContext) {
  const params: SqlParam[] = [];
  const trials = trialsCte(context, params);
  params.push(COHORT_MONTHS, context.to);
  return context.warehouse.all(
    `WITH ${trials},
     months AS (SELECT range AS k FROM range(0, ? + 1)),
     points AS (
       SELECT strftime(t.started_on, '%Y-%m') || ' ' || t.service_id AS cohort, t.service_id, m.k,
              CAST(t.started_on + to_months(CAST(m.k AS INTEGER)) AS DATE) AS at_day, t.ended_on, t.trial_ends_on
       FROM trials t CROSS JOIN months m
     ),
     sizes AS (SELECT cohort, count(*) AS cohort_size FROM points WHERE k = 0 GROUP BY cohort)
     SELECT p.cohort, p.k AS months_since,
            CASE WHEN bool_and(p.at_day < p.trial_ends_on) THEN 'trial' ELSE 'after' END AS phase,
            any_value(sz.cohort_size) AS cohort_size,
            count(*) FILTER (WHERE p.ended_on IS NULL OR p.ended_on > p.at_day) AS retained,
            count(*) FILTER (WHERE p.ended_on IS NULL OR p.ended_on > p.at_day) / any_value(sz.cohort_size) AS retention
     FROM points p JOIN sizes sz USING (cohort)
     WHERE p.at_day <= CAST(? AS DATE)
     GROUP BY p.cohort, p.k
     HAVING count(*) = any_value(sz.cohort_size)
     ORDER BY p.cohort, p.k`,
    params,
  );
}

async function retentionAroundTrialEnd(context: AnalysisContext) {
  const params: SqlParam[] = [];
  const trials = trialsCte(context, params);
  params.push(DAYS_BEFORE_END, DAYS_AFTER_END, context.firstDay, DAYS_BEFORE_END, context.to, context.to);
  return context.warehouse.all(
    `WITH ${trials},
     offsets AS (SELECT range AS o FROM range(-?, ? + 1)),
     ending AS (
       SELECT * FROM trials
       WHERE trial_ends_on - CAST(? AS DATE) >= ? AND trial_ends_on <= CAST(? AS DATE)
     )
     SELECT e.service_id AS service, o.o AS day_offset, count(*) AS eligible,
            count(*) FILTER (WHERE e.ended_on IS NULL OR e.ended_on > e.trial_ends_on + CAST(o.o AS INTEGER)) AS retained,
            count(*) FILTER (WHERE e.ended_on IS NULL OR e.ended_on > e.trial_ends_on + CAST(o.o AS INTEGER)) / count(*) AS retention
     FROM ending e CROSS JOIN offsets o
     WHERE e.trial_ends_on + CAST(o.o AS INTEGER) <= CAST(? AS DATE)
     GROUP BY ALL ORDER BY service, day_offset`,
    params,
  );
}

async function usageAgainstCancellation(context: AnalysisContext) {
  const params: SqlParam[] = [];
  const trials = trialsCte(context, params);
  params.push(context.firstDay, END_WINDOW_DAYS, context.to, END_WINDOW_DAYS, END_WINDOW_DAYS);
  return context.warehouse.all(
    `WITH ${trials},
     ended AS (SELECT * FROM trials WHERE trial_ends_on > CAST(? AS DATE) AND trial_ends_on + ? <= CAST(? AS DATE))
     SELECT e.service_id AS service, CASE WHEN e.trial_uses > 0 THEN 'used' ELSE 'not used' END AS "group",
            count(*) AS trials,
            count(*) FILTER (WHERE abs(date_diff('day', e.trial_ends_on, e.ended_on)) <= ?) AS cancelled_at_end,
            count(*) FILTER (WHERE abs(date_diff('day', e.trial_ends_on, e.ended_on)) <= ?) / count(*) AS cancel_rate,
            avg(e.trial_uses) AS usage_per_trial
     FROM ended e
     GROUP BY ALL ORDER BY service, "group" DESC`,
    params,
  );
}

// On ClickHouse: the spells are the loader's subscriptions table, built per shard with the subscriber's
// area beside each spell (no join to filter). Each query counts at the shard (ARRAY JOIN of the months
// or days to look at, then count() per group): only the counts leave a shard, and ratios and the
// cohort sizes are put together here.

/** The trial spells started by the end of the range, with the analysis's filters; `te` is the trial's end. */
function trialsWhere(context: AnalysisContext, params: SqlParam[]): string {
  params.push(context.to);
  const where = filterClause(
    context,
    { region: 'region', county: 'county', brand: 'brand', service: 'service_id' },
    params,
  );
  return `trial = 1 AND isNotNull(trial_ends_on) AND started_on <= toDate(?)${where}`;
}

const te = 'assumeNotNull(trial_ends_on)';
const stillHeldAfter = (day: string) => `ifNull(ended_on, toDate('2105-12-31')) > ${day}`;
const cohortKey = `concat(substring(toString(started_on), 1, 7), ' ', service_id)`;

async function cohortRetentionClickHouse(context: AnalysisContext) {
  const sizeParams: SqlParam[] = [];
  const sizeWhere = trialsWhere(context, sizeParams);
  const params: SqlParam[] = [COHORT_MONTHS + 1];
  const where = trialsWhere(context, params);
  params.push(context.to);
  const atDay = 'addMonths(started_on, k)';
  const [sizes, points] = await Promise.all([
    context.warehouse.all<{ cohort: string; cohort_size: number }>(
      `SELECT ${cohortKey} AS cohort, count() AS cohort_size FROM subscriptions WHERE ${sizeWhere} GROUP BY cohort`,
      sizeParams,
    ),
    context.warehouse.all<{ cohort: string; k: number; in_trial: number; points: number; retained: number }>(
      `SELECT ${cohortKey} AS cohort, k, min(${atDay} < ${te}) AS in_trial, count() AS points,
              countIf(${stillHeldAfter(atDay)}) AS retained
       FROM subscriptions ARRAY JOIN range(?) AS k
       WHERE ${where} AND ${atDay} <= toDate(?)
       GROUP BY cohort, k ORDER BY cohort, k`,
      params,
    ),
  ]);
  const sizeOf = new Map(sizes.map((s) => [s.cohort, Number(s.cohort_size)]));
  // DuckDB's HAVING: a month is shown once every subscription of the cohort has reached it.
  return points
    .filter((p) => Number(p.points) === sizeOf.get(p.cohort))
    .map((p) => ({
      cohort: p.cohort,
      months_since: Number(p.k),
      phase: Number(p.in_trial) === 1 ? 'trial' : 'after',
      cohort_size: sizeOf.get(p.cohort)!,
      retained: Number(p.retained),
      retention: Number(p.retained) / sizeOf.get(p.cohort)!,
    }));
}

async function retentionAroundTrialEndClickHouse(context: AnalysisContext) {
  const params: SqlParam[] = [DAYS_BEFORE_END, DAYS_BEFORE_END + DAYS_AFTER_END + 1];
  const where = trialsWhere(context, params);
  params.push(context.firstDay, DAYS_BEFORE_END, context.to, context.to);
  const at = `addDays(${te}, o)`;
  const rows = await context.warehouse.all<{ service: string; day_offset: number; eligible: number; retained: number }>(
    `SELECT service_id AS service, o AS day_offset, count() AS eligible, countIf(${stillHeldAfter(at)}) AS retained
     FROM subscriptions ARRAY JOIN arrayMap(i -> toInt64(i) - ?, range(?)) AS o
     WHERE ${where} AND toRelativeDayNum(${te}) - toRelativeDayNum(toDate(?)) >= ? AND ${te} <= toDate(?)
       AND ${at} <= toDate(?)
     GROUP BY service, day_offset ORDER BY service, day_offset`,
    params,
  );
  return rows.map((r) => ({
    service: r.service,
    day_offset: Number(r.day_offset),
    eligible: Number(r.eligible),
    retained: Number(r.retained),
    retention: Number(r.retained) / Number(r.eligible),
  }));
}

async function usageAgainstCancellationClickHouse(context: AnalysisContext) {
  const params: SqlParam[] = [END_WINDOW_DAYS];
  const where = trialsWhere(context, params);
  params.push(context.firstDay, END_WINDOW_DAYS, context.to);
  const rows = await context.warehouse.all<{
    service: string;
    use_group: string;
    trials: number;
    cancelled_at_end: number;
    uses: number;
  }>(
    `SELECT service_id AS service, if(ifNull(trial_uses, 0) > 0, 'used', 'not used') AS use_group, count() AS trials,
            countIf(isNotNull(ended_on) AND abs(toRelativeDayNum(assumeNotNull(ended_on)) - toRelativeDayNum(${te})) <= ?) AS cancelled_at_end,
            sum(ifNull(trial_uses, 0)) AS uses
     FROM subscriptions
     WHERE ${where} AND ${te} > toDate(?) AND addDays(${te}, ?) <= toDate(?)
     GROUP BY service, use_group ORDER BY service, use_group DESC`,
    params,
  );
  return rows.map((r) => ({
    service: r.service,
    group: r.use_group,
    trials: Number(r.trials),
    cancelled_at_end: Number(r.cancelled_at_end),
    cancel_rate: Number(r.cancelled_at_end) / Number(r.trials),
    usage_per_trial: num(r.uses)! / Number(r.trials),
  }));
}

// Activity analysis (活性分析): for each service the measure that fits it (ringback-tone change rate,
// SMS forward rate of the news, 12580 calls per caller, WAP visits per user), active against dormant
// holders, the trend of the active rate, and an early warning where activity is falling.
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { AnalysisResult, Bilingual, ResultRow } from './analysis-result.ts';
import { addDays } from './date-ranges.ts';
import { filterClause } from './filter-clause.ts';
import { metricRows } from './metric-rows.ts';
import { column, partialPeriodKeys, partialPeriodNote, periodColumn, text } from './result-columns.ts';
import { num, relativeChange, toResultRows } from './result-values.ts';

/** Relative drop of the active rate, last week against the week before, that raises a warning. */
export const WARNING_DROP = 0.1;

interface FittingMeasure {
  label: Bilingual;
  compute(use: Record<string, unknown>, holders: number | null): number | null;
}

const ratio = (a: unknown, b: unknown) => {
  const d = num(b);
  return d ? (num(a) ?? 0) / d : null;
};

/** The measure the case study uses for each kind of service. */
export const fittingMeasures: Record<string, FittingMeasure> = {
  crbt: {
    label: { zh: '换歌率(次/用户)', en: 'tone changes per holder' },
    compute: (u, h) => ratio(u.crbt_changes, h),
  },
  news: { label: { zh: '转发率', en: 'forward rate' }, compute: (u) => ratio(u.sms_forwards, u.sms_mt) },
  directory: { label: { zh: '人均呼叫次数', en: 'calls per caller' }, compute: (u) => ratio(u.ivr_calls, u.callers) },
  portal: {
    label: { zh: '人均 WAP 访问', en: 'WAP visits per user' },
    compute: (u) => ratio(u.wap_visits, u.wap_users),
  },
  music: {
    label: { zh: '人均 WAP 访问', en: 'WAP visits per user' },
    compute: (u) => ratio(u.wap_visits, u.wap_users),
  },
  video: {
    label: { zh: '人均 WAP 访问', en: 'WAP visits per user' },
    compute: (u) => ratio(u.wap_visits, u.wap_users),
  },
  game: { label: { zh: '人均 WAP 访问', en: 'WAP visits per user' }, compute: (u) => ratio(u.wap_visits, u.wap_users) },
};
const defaultMeasure: FittingMeasure = {
  label: { zh: '人均使用次数', en: 'uses per holder' },
  compute: (u, h) => ratio(u.usage_events, h),
};

export async function activityAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const lastWeek = { from: maxDate(context.from, addDays(context.to, -6)), to: context.to };
  const weekBefore = { from: maxDate(context.from, addDays(context.to, -13)), to: addDays(context.to, -7) };
  const hasWeekBefore = weekBefore.to >= context.from;
  const [rates, use, dormancy, trend, recent, before, areaRecent, areaBefore] = await Promise.all([
    metricRows(context, 'service_active_rate', ['service']),
    serviceUse(context),
    activeAndDormant(context),
    metricRows(context, 'service_active_rate', [context.grain, 'service']),
    metricRows(context, 'service_active_rate', ['county', 'service'], lastWeek),
    hasWeekBefore ? metricRows(context, 'service_active_rate', ['county', 'service'], weekBefore) : Promise.resolve([]),
    metricRows(context, 'active_rate', ['county'], lastWeek),
    hasWeekBefore ? metricRows(context, 'active_rate', ['county'], weekBefore) : Promise.resolve([]),
  ]);

  const useOf = new Map(use.map((u) => [String(u.service_id), u]));
  const dormantOf = new Map(dormancy.map((d) => [String(d.service_id), d]));
  const services: ResultRow[] = rates.map((r) => {
    const service = String(r.service);
    const u = useOf.get(service) ?? {};
    const category = String(u.category ?? '');
    const measure = fittingMeasures[category] ?? defaultMeasure;
    const d = dormantOf.get(service);
    return {
      service,
      holders: num(r.holders),
      daily_users: num(r.service_users_active),
      active_rate: num(r.value),
      measure_name: category in fittingMeasures ? category : 'default',
      measure: measure.compute(u, num(r.holders)),
      active_holders: num(d?.active_holders),
      dormant_holders: num(d?.dormant_holders),
      dormant_share: ratio(
        d?.dormant_holders,
        num(d?.active_holders) !== null ? (num(d?.active_holders) ?? 0) + (num(d?.dormant_holders) ?? 0) : null,
      ),
    };
  });

  const beforeOf = new Map(before.map((r) => [`${r.county}\u0000${r.service}`, num(r.value)]));
  const warnings: ResultRow[] = recent
    .map((r) => {
      const previous = beforeOf.get(`${r.county}\u0000${r.service}`) ?? null;
      const change = relativeChange(num(r.value), previous);
      return {
        county: String(r.county),
        service: String(r.service),
        active_rate: num(r.value),
        previous_rate: previous,
        change,
        warning: change !== null && change <= -WARNING_DROP ? '▼' : '',
      };
    })
    .sort((a, b) => (a.change ?? 0) - (b.change ?? 0));
  const areaBeforeOf = new Map(areaBefore.map((r) => [String(r.county), num(r.value)]));
  const areaWarnings: ResultRow[] = areaRecent.map((r) => {
    const previous = areaBeforeOf.get(String(r.county)) ?? null;
    const change = relativeChange(num(r.value), previous);
    return {
      county: String(r.county),
      active_rate: num(r.value),
      previous_rate: previous,
      change,
      warning: change !== null && change <= -WARNING_DROP ? '▼' : '',
    };
  });

  const measureLabels: Record<string, Bilingual> = { default: defaultMeasure.label };
  for (const [category, measure] of Object.entries(fittingMeasures)) measureLabels[category] = measure.label;
  const trendRows = toResultRows(
    trend.map((r) => ({
      period: String(r[context.grain]),
      service: String(r.service),
      active_rate: num(r.value),
    })),
  );
  const periods = trendRows.map((r) => String(r.period));
  const note = partialPeriodNote(context, periods);
  return {
    kind: 'activity',
    title: text('活性分析', 'Activity analysis'),
    from: context.from,
    to: context.to,
    grain: context.grain,
    sections: [
      {
        id: 'services',
        title: text('各业务活跃率与活性指标', 'Active rate and the fitting activity measure per service'),
        note: text(
          '彩铃看换歌率,手机报看转发率,12580 看人均呼叫,WAP 类看人均访问;沉默 = 期末订有但期内从未使用',
          'Ringback tone: changes; news: forwards; 12580: calls per caller; WAP services: visits per user. Dormant = held at the end, never used in the range',
        ),
        chart: { kind: 'stacked-bar', x: 'service', values: ['active_holders', 'dormant_holders'] },
        columns: [
          column('service', '业务', 'service'),
          column('holders', '日均业务用户', 'holders (daily avg)', 'count'),
          column('daily_users', '日均使用用户', 'daily users', 'count'),
          column('active_rate', '日活跃率', 'daily active rate', 'ratio'),
          column('measure_name', '活性指标', 'activity measure', undefined, { labels: measureLabels }),
          column('measure', '指标值', 'value', 'per_user'),
          column('active_holders', '活跃用户', 'active holders', 'count'),
          column('dormant_holders', '沉默用户', 'dormant holders', 'count'),
          column('dormant_share', '沉默占比', 'dormant share', 'ratio'),
        ],
        rows: services,
      },
      {
        id: 'trend',
        title: text('业务日活跃率趋势', 'Daily active rate of each service'),
        ...(note ? { note } : {}),
        chart: {
          kind: 'line',
          x: 'period',
          by: 'service',
          value: 'active_rate',
          partial: partialPeriodKeys(context, periods),
        },
        columns: [
          periodColumn(context, periods),
          column('service', '业务', 'service'),
          column('active_rate', '日活跃率', 'daily active rate', 'ratio'),
        ],
        rows: trendRows,
      },
      {
        id: 'warning',
        title: text('活性下降预警(最近 7 天对比前 7 天)', 'Early warning: last 7 days against the 7 before'),
        note: text(
          `活跃率下降超过 ${WARNING_DROP * 100}% 标记 ▼`,
          `▼ marks a fall of the active rate by more than ${WARNING_DROP * 100}%`,
        ),
        chart: { kind: 'bar', x: 'county', values: ['previous_rate', 'active_rate'] },
        columns: [
          column('county', '区县', 'county'),
          column('previous_rate', '前 7 天活跃率', 'active rate, week before', 'ratio'),
          column('active_rate', '最近 7 天活跃率', 'active rate, last week', 'ratio'),
          column('change', '相对变化', 'relative change', 'ratio'),
          column('warning', '预警', 'warning'),
        ],
        rows: areaWarnings,
      },
      {
        id: 'service-warning',
        title: text('区县 × 业务活性预警', 'Early warning by county and service'),
        columns: [
          column('county', '区县', 'county'),
          column('service', '业务', 'service'),
          column('previous_rate', '前 7 天', 'week before', 'ratio'),
          column('active_rate', '最近 7 天', 'last week', 'ratio'),
          column('change', '相对变化', 'relative change', 'ratio'),
          column('warning', '预警', 'warning'),
        ],
        rows: warnings,
      },
    ],
  };
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

const subscriberDims = { region: 'u.region', county: 'u.county', brand: 'u.brand' } as const;

/** The join to the subscribers, only when a filter needs their attributes. */
function subscriberJoin(context: AnalysisContext, alias: string): string {
  return Object.keys(context.filters).some((k) => k in subscriberDims)
    ? `JOIN subscribers u ON u.msisdn = ${alias}.msisdn`
    : '';
}

/** Per service: the counts behind the fitting measures, over the range. */
async function serviceUse(context: AnalysisContext): Promise<Record<string, unknown>[]> {
  const sumParams: SqlParam[] = [context.from, context.to];
  const sumWhere = filterClause(
    context,
    { region: 'f.region', county: 'f.county', brand: 'f.brand', plan: 'f.plan_id', service: 'f.service_id' },
    sumParams,
  );
  const [sums, users] = await Promise.all([
    context.warehouse.engine === 'clickhouse'
      ? serviceSumsClickHouse(context, sumWhere, sumParams)
      : context.warehouse.all(
          `SELECT f.service_id, any_value(s.category) AS category,
              sum(f.crbt_changes) AS crbt_changes, sum(f.sms_forwards) AS sms_forwards, sum(f.sms_mt) AS sms_mt,
              sum(f.ivr_calls) AS ivr_calls, sum(f.wap_visits) AS wap_visits, sum(f.usage_events) AS usage_events
       FROM agg_area_service_day f JOIN services s ON s.service_id = f.service_id
       WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${sumWhere}
       GROUP BY f.service_id`,
          sumParams,
        ),
    callersAndVisitors(context),
  ]);
  const usersOf = new Map(users.map((u) => [String(u.service_id), u]));
  return sums.map((row) => ({
    ...row,
    callers: usersOf.get(String(row.service_id))?.callers ?? 0,
    wap_users: usersOf.get(String(row.service_id))?.wap_users ?? 0,
  }));
}

/** The sums on ClickHouse: one JOIN per SELECT, the services joined to the sums of each service. */
function serviceSumsClickHouse(context: AnalysisContext, where: string, params: SqlParam[]) {
  const uses = ['crbt_changes', 'sms_forwards', 'sms_mt', 'ivr_calls', 'wap_visits', 'usage_events'];
  return context.warehouse.all(
    `SELECT service_id, category, ${uses.map((u) => `sum_${u} AS ${u}`).join(', ')}
     FROM (SELECT f.service_id AS service_id, ${uses.map((u) => `sum(f.${u}) AS sum_${u}`).join(', ')}
           FROM agg_area_service_day f
           WHERE f.day BETWEEN toDate(?) AND toDate(?)${where}
           GROUP BY service_id)
     ANY INNER JOIN (SELECT service_id, category FROM services) USING service_id`,
    params,
  );
}

/**
 * The per subscriber x service x month rows of the range, each with the bitmask of the range's days
 * in its month (bit d-1 for day d): `(days & mask) <> 0` means "on some day of the range", and
 * `(held_days & end_bit) <> 0` on the last month "held at the end of the range".
 */
function usedInRangeSql(context: AnalysisContext, params: SqlParam[]): string {
  params.push(context.from, context.to);
  const where = filterClause(context, { ...subscriberDims, service: 'a.service_id' }, params);
  return `SELECT a.month, a.msisdn, a.service_id, a.held_days, a.used_days, a.ivr_days, a.wap_days,
            (CAST(1 AS UBIGINT) << CASE WHEN r.hi < last_day(a.month) THEN dayofmonth(r.hi) ELSE 31 END)
            - (CAST(1 AS UBIGINT) << (CASE WHEN r.lo > a.month THEN dayofmonth(r.lo) ELSE 1 END - 1)) AS mask,
            CASE WHEN a.month = date_trunc('month', r.hi) THEN CAST(1 AS UBIGINT) << (dayofmonth(r.hi) - 1) ELSE 0 END AS end_bit
          FROM agg_subscriber_service_month a ${subscriberJoin(context, 'a')},
            (SELECT CAST(? AS DATE) AS lo, CAST(? AS DATE) AS hi) r
          WHERE a.month BETWEEN date_trunc('month', r.lo) AND r.hi${where}`;
}

/** A range inside one month has one row per subscriber and service: no regrouping needed. */
function withinOneMonth(context: AnalysisContext): boolean {
  return context.from.slice(0, 7) === context.to.slice(0, 7);
}

/** Distinct 12580 callers and WAP users of each service in the range. */
async function callersAndVisitors(context: AnalysisContext): Promise<Record<string, unknown>[]> {
  if (context.warehouse.engine === 'clickhouse') return callersAndVisitorsClickHouse(context);
  const params: SqlParam[] = [];
  const distinct = withinOneMonth(context) ? '' : 'DISTINCT ';
  return context.warehouse.all(
    `WITH m AS (${usedInRangeSql(context, params)})
     SELECT service_id, count(${distinct}msisdn) FILTER (WHERE (ivr_days & mask) <> 0) AS callers,
            count(${distinct}msisdn) FILTER (WHERE (wap_days & mask) <> 0) AS wap_users
     FROM m WHERE ((ivr_days | wap_days) & mask) <> 0 GROUP BY service_id`,
    params,
  );
}

/** Holders at the end of the range who used the service in it (active) or never did (dormant). */
async function activeAndDormant(context: AnalysisContext): Promise<Record<string, unknown>[]> {
  if (context.warehouse.engine === 'clickhouse') return activeAndDormantClickHouse(context);
  const params: SqlParam[] = [];
  const rows = usedInRangeSql(context, params);
  const perSubscription = withinOneMonth(context)
    ? `SELECT service_id, (held_days & end_bit) <> 0 AS held, (used_days & mask) <> 0 AS used FROM m`
    : `SELECT service_id, bool_or((held_days & end_bit) <> 0) AS held, bool_or((used_days & mask) <> 0) AS used
       FROM m GROUP BY msisdn, service_id`;
  return context.warehouse.all(
    `WITH m AS (${rows}), s AS (${perSubscription})
     SELECT service_id, count(*) FILTER (WHERE used) AS active_holders, count(*) FILTER (WHERE NOT used) AS dormant_holders
     FROM s WHERE held GROUP BY service_id ORDER BY service_id`,
    params,
  );
}

// On ClickHouse the same month rows (agg_subscriber_service_month, built per shard) are counted on
// each shard and the counts summed: a subscriber lives on one shard, so distinct counts per shard add
// up exactly (distributed_group_by_no_merge: each shard's GROUP BY is returned as it is, and the
// outer SELECT sums them; only a few rows per service leave a shard).

/** `WITH` of the range's bounds, and the day masks of a month row, as on DuckDB. */
function rangeMasks(context: AnalysisContext, params: SqlParam[]): string {
  params.push(context.from, context.to);
  return `WITH toDate(?) AS lo, toDate(?) AS hi,
     toUInt64(bitShiftLeft(toUInt64(1), if(hi < subtractDays(addMonths(month, 1), 1), toDayOfMonth(hi), 31))
       - bitShiftLeft(toUInt64(1), if(lo > month, toDayOfMonth(lo), 1) - 1)) AS mask,
     if(month = toStartOfMonth(hi), toUInt64(bitShiftLeft(toUInt64(1), toDayOfMonth(hi) - 1)), toUInt64(0)) AS end_bit`;
}

function monthRowsWhere(context: AnalysisContext, params: SqlParam[]): string {
  return `month BETWEEN toStartOfMonth(lo) AND hi${filterClause(
    context,
    { region: 'region', county: 'county', brand: 'brand', service: 'service_id' },
    params,
  )}`;
}

async function callersAndVisitorsClickHouse(context: AnalysisContext): Promise<Record<string, unknown>[]> {
  const params: SqlParam[] = [];
  const masks = rangeMasks(context, params);
  const where = monthRowsWhere(context, params);
  return context.warehouse.all(
    `SELECT service_id, sum(shard_callers) AS callers, sum(shard_wap_users) AS wap_users
     FROM (${masks}
           SELECT service_id, uniqExactIf(msisdn, bitAnd(ivr_days, mask) != 0) AS shard_callers,
                  uniqExactIf(msisdn, bitAnd(wap_days, mask) != 0) AS shard_wap_users
           FROM agg_subscriber_service_month
           WHERE ${where} AND bitAnd(bitOr(ivr_days, wap_days), mask) != 0
           GROUP BY service_id)
     GROUP BY service_id
     SETTINGS distributed_group_by_no_merge = 1`,
    params,
  );
}

/**
 * Held at the end (H) and used in the range (U), each a distinct count per shard; the active holders
 * are |H ∩ U| = |H| + |U| - |H ∪ U|, so no per-subscriber row leaves its shard.
 */
async function activeAndDormantClickHouse(context: AnalysisContext): Promise<Record<string, unknown>[]> {
  const params: SqlParam[] = [];
  const masks = rangeMasks(context, params);
  const where = monthRowsWhere(context, params);
  const held = 'bitAnd(held_days, end_bit) != 0';
  const used = 'bitAnd(used_days, mask) != 0';
  return context.warehouse.all(
    `SELECT service_id, sum(shard_active) AS active_holders, sum(shard_held) - sum(shard_active) AS dormant_holders
     FROM (${masks}
           SELECT service_id, toInt64(uniqExactIf(msisdn, ${held})) AS shard_held,
                  toInt64(uniqExactIf(msisdn, ${held})) + toInt64(uniqExactIf(msisdn, ${used}))
                    - toInt64(uniqExactIf(msisdn, ${held} OR ${used})) AS shard_active
           FROM agg_subscriber_service_month
           WHERE ${where}
           GROUP BY service_id)
     GROUP BY service_id HAVING sum(shard_held) > 0 ORDER BY service_id
     SETTINGS distributed_group_by_no_merge = 1`,
    params,
  );
}

// The effect views of the 12580 case: 12580 (against 114) calls per county per month and per brand
// per month, daily calls before and after a given date (a campaign's start), and the calls made in
// each kind of area (stations ask 114 more, as in the case's tables).
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { filterClause } from './filter-clause.ts';
import { monthText, periodText } from './period-text.ts';
import { column, text } from './result-columns.ts';
import { num, relativeChange, toResultRows } from './result-values.ts';
import type { AnalysisResult, ResultRow } from './analysis-result.ts';

export const EFFECT_CODE = '12580';
export const COMPARED_CODE = '114';

export async function effectAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const cutover = context.cutover ?? midpoint(context.from, context.to);
  const [countyMonth, brandMonth, daily, beforeAfter, areaTypes] = await Promise.all([
    callsBy(context, 'county'),
    callsBy(context, 'brand'),
    dailyCalls(context),
    callsBeforeAfter(context, cutover),
    callsByAreaType(context),
  ]);
  const callColumns = [
    column('calls_12580', '12580 呼叫', '12580 calls', 'count'),
    column('callers_12580', '12580 呼叫用户(日累计)', '12580 caller-days', 'count'),
    column('calls_114', '114 呼叫', '114 calls', 'count'),
    column('share_12580', '12580 占比', '12580 share', 'ratio'),
  ];
  return {
    kind: 'effect',
    title: text('12580 效果分析', '12580 effect'),
    from: context.from,
    to: context.to,
    // The page shows the date in use, also when it was defaulted to the middle of the range.
    cutover,
    sections: [
      {
        id: 'daily',
        title: text(`每日 12580 与 114 呼叫(对比日 ${cutover})`, `Daily 12580 and 114 calls (compared at ${cutover})`),
        chart: { kind: 'line', x: 'day', values: ['calls_12580', 'calls_114'], markX: cutover },
        columns: [column('day', '日期', 'day'), ...callColumns],
        rows: daily,
      },
      {
        id: 'before-after',
        title: text(
          `各区县对比日(${cutover})前后日均 12580 呼叫`,
          `Daily 12580 calls per county before and after ${cutover}`,
        ),
        chart: { kind: 'bar', x: 'county', values: ['before_per_day', 'after_per_day'] },
        columns: [
          column('county', '区县', 'county'),
          column('before_per_day', '之前日均', 'per day before', 'per_user'),
          column('after_per_day', '之后日均', 'per day after', 'per_user'),
          column('change', '相对变化', 'relative change', 'ratio'),
        ],
        rows: beforeAfter,
      },
      {
        id: 'county-month',
        title: text('各区县每月 12580 呼叫', '12580 calls per county per month'),
        chart: { kind: 'bar', x: 'county', by: 'month', value: 'calls_12580' },
        columns: [column('month', '月份', 'month'), column('county', '区县', 'county'), ...callColumns],
        rows: countyMonth,
      },
      {
        id: 'brand-month',
        title: text('各品牌每月 12580 呼叫', '12580 calls per brand per month'),
        chart: { kind: 'bar', x: 'brand', by: 'month', value: 'calls_12580' },
        columns: [column('month', '月份', 'month'), column('brand', '品牌', 'brand'), ...callColumns],
        rows: brandMonth,
      },
      {
        id: 'area-type',
        title: text('各类区域的 114 与 12580 呼叫(信令)', '114 and 12580 calls by kind of area (signalling)'),
        chart: { kind: 'bar', x: 'area_type', values: ['calls_12580', 'calls_114'] },
        columns: [
          column('area_type', '区域类型', 'area type'),
          column('calls_12580', '12580 呼叫', '12580 calls', 'count'),
          column('calls_114', '114 呼叫', '114 calls', 'count'),
          column('share_12580', '12580 占比', '12580 share', 'ratio'),
        ],
        rows: areaTypes,
      },
    ],
  };
}

function midpoint(from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + Math.round((b - a) / 86_400_000 / 2) * 86_400_000).toISOString().slice(0, 10);
}

const areaDims = { region: 'f.region', county: 'f.county', brand: 'f.brand' } as const;

/** `sum(value)` over the rows where `condition` holds, in the warehouse's dialect (0 or NULL on none: read as 0). */
function sumWhere(context: AnalysisContext, value: string, condition: string): string {
  return context.warehouse.engine === 'clickhouse'
    ? `sumIf(${value}, ${condition})`
    : `sum(${value}) FILTER (WHERE ${condition})`;
}

function callSums(context: AnalysisContext): string {
  return `${sumWhere(context, 'f.calls', `f.access_code = '${EFFECT_CODE}'`)} AS calls_12580,
          ${sumWhere(context, 'f.callers', `f.access_code = '${EFFECT_CODE}'`)} AS callers_12580,
          ${sumWhere(context, 'f.calls', `f.access_code = '${COMPARED_CODE}'`)} AS calls_114`;
}

function withShare(rows: Record<string, unknown>[]): ResultRow[] {
  return toResultRows(
    rows.map((r) => {
      const a = num(r.calls_12580) ?? 0;
      const b = num(r.calls_114) ?? 0;
      return {
        ...r,
        calls_12580: a,
        callers_12580: num(r.callers_12580) ?? 0,
        calls_114: b,
        share_12580: a + b > 0 ? a / (a + b) : null,
      };
    }),
  );
}

async function callsBy(context: AnalysisContext, dim: 'county' | 'brand'): Promise<ResultRow[]> {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, areaDims, params);
  const rows = await context.warehouse.all(
    `SELECT ${monthText(context, 'f.day')} AS month, f.${dim} AS ${dim}, ${callSums(context)}
     FROM agg_ivr_area_day f
     WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
     GROUP BY month, ${dim} ORDER BY month, ${dim}`,
    params,
  );
  return withShare(rows);
}

async function dailyCalls(context: AnalysisContext): Promise<ResultRow[]> {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, areaDims, params);
  const rows = await context.warehouse.all(
    `SELECT ${periodText(context, 'day', 'f.day')} AS day_text, ${callSums(context)}
     FROM agg_ivr_area_day f
     WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
     GROUP BY day_text ORDER BY day_text`,
    params,
  );
  return withShare(rows.map(({ day_text, ...r }) => ({ day: day_text, ...r })));
}

async function callsBeforeAfter(context: AnalysisContext, cutover: string): Promise<ResultRow[]> {
  const params: SqlParam[] = [cutover, cutover, cutover, cutover, context.from, context.to];
  const where = filterClause(context, areaDims, params);
  const [before, after] = ['f.day < CAST(? AS DATE)', 'f.day >= CAST(? AS DATE)'];
  const perDay = (when: string) =>
    context.warehouse.engine === 'clickhouse'
      ? `sumIf(f.calls, ${when}) / nullIf(uniqExactIf(f.day, ${when}), 0)`
      : `sum(f.calls) FILTER (WHERE ${when}) / nullif(count(DISTINCT f.day) FILTER (WHERE ${when}), 0)`;
  const rows = await context.warehouse.all(
    `SELECT f.county AS county, ${perDay(before)} AS before_per_day, ${perDay(after)} AS after_per_day
     FROM agg_ivr_area_day f
     WHERE f.access_code = '${EFFECT_CODE}' AND f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
     GROUP BY county ORDER BY county`,
    params,
  );
  return toResultRows(
    rows.map((r) => ({
      county: String(r.county),
      before_per_day: num(r.before_per_day),
      after_per_day: num(r.after_per_day),
      change: relativeChange(num(r.after_per_day), num(r.before_per_day)),
    })),
  );
}

async function callsByAreaType(context: AnalysisContext): Promise<ResultRow[]> {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, { region: 'c.region', county: 'c.county' }, params);
  // On ClickHouse the cell-hours are summed per cell across the shards first, then joined to the
  // cells copy of the answering node (one JOIN, a few thousand cells). Ties are ordered by area type.
  const rows = await context.warehouse.all(
    context.warehouse.engine === 'clickhouse'
      ? `SELECT c.area_type AS area_type, sum(f.cell_12580) AS calls_12580, sum(f.cell_114) AS calls_114
         FROM (SELECT cell_id, sum(calls_12580) AS cell_12580, sum(calls_114) AS cell_114 FROM agg_cell_hour
               WHERE day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) GROUP BY cell_id) AS f
         ANY INNER JOIN (SELECT cell_id, area_type, region, county FROM cells) AS c USING cell_id
         WHERE 1 = 1${where}
         GROUP BY area_type ORDER BY calls_12580 DESC, area_type`
      : `SELECT c.area_type, sum(f.calls_12580) AS calls_12580, sum(f.calls_114) AS calls_114
         FROM agg_cell_hour f JOIN cells c ON c.cell_id = f.cell_id
         WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
         GROUP BY ALL ORDER BY calls_12580 DESC, c.area_type`,
    params,
  );
  return withShare(rows).map((r) => {
    const { callers_12580: _, ...rest } = r;
    return rest;
  });
}

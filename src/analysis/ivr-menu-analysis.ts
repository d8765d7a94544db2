// 12580 usage by channel (IVR menu) and area (以频道为条件进行使用习惯分析): which menu choices callers
// make in each kind of area, county and hour, and how the mix changed after area marketing began
// (the before/after date: the given cutover, else the first real-time trigger message, else mid-range).
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { addDays } from './date-ranges.ts';
import { filterClause } from './filter-clause.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';
import type { AnalysisResult, ResultRow } from './analysis-result.ts';

export const DEFAULT_ACCESS_CODE = '12580';

const dims = {
  region: 'f.region',
  county: 'f.county',
  brand: 'f.brand',
  area_type: 'f.area_type',
  access_code: 'f.access_code',
  menu: 'f.menu',
} as const;

export async function ivrMenuAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  // 12580 unless the user picked access codes: 114's menus would swamp the product view.
  const scoped: AnalysisContext = context.filters.access_code
    ? context
    : { ...context, filters: { ...context.filters, access_code: [DEFAULT_ACCESS_CODE] } };
  const codes = scoped.filters.access_code!.join(', ');
  const cutover = context.cutover ?? (await firstTriggerDay(context)) ?? midpoint(context.from, context.to);
  const [byArea, byCounty, byHour, beforeAfter] = await Promise.all([
    callsBy(scoped, 'f.area_type', 'f.area_type IS NOT NULL'),
    callsBy(scoped, 'f.county'),
    callsBy(scoped, context.warehouse.engine === 'clickhouse' ? 'toInt32(f.hour)' : 'CAST(f.hour AS INTEGER)'),
    menuBeforeAfter(scoped, cutover),
  ]);
  const shares = (rows: ResultRow[], key: string) => {
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(String(r.key), (totals.get(String(r.key)) ?? 0) + (num(r.calls) ?? 0));
    return rows.map(({ key: k, ...r }) => ({
      [key]: k,
      ...r,
      share: (num(r.calls) ?? 0) / (totals.get(String(k)) || 1),
    }));
  };
  const callColumns = [
    column('menu', '菜单(频道)', 'menu (channel)'),
    column('calls', '呼叫次数', 'calls', 'count'),
    column('caller_days', '呼叫用户(日累计)', 'caller-days', 'count'),
    column('share', '占比', 'share', 'ratio'),
  ];
  return {
    kind: 'ivr-menus',
    title: text(`${codes} 分频道使用习惯`, `${codes} usage by channel (menu)`),
    from: context.from,
    to: context.to,
    sections: [
      {
        id: 'area-type',
        title: text('各类区域的菜单选择', 'Menu choices by kind of area'),
        note: text(
          '区域按呼叫时所在小区(信令中同一秒对该接入号的主叫)判定;没有信令的日期不计入本表',
          'The area is that of the cell the call was made from (the call_out to the access code in the signalling within the same second); days without signalling are left out of this table',
        ),
        chart: { kind: 'heatmap', x: 'menu', y: 'area_type', value: 'calls' },
        columns: [column('area_type', '区域类型', 'area type'), ...callColumns],
        rows: shares(byArea, 'area_type'),
      },
      {
        id: 'county',
        title: text('各区县的菜单选择(按用户归属区县)', 'Menu choices by the caller’s county'),
        chart: { kind: 'stacked-bar', x: 'county', by: 'menu', value: 'calls' },
        columns: [column('county', '区县', 'county'), ...callColumns],
        rows: shares(byCounty, 'county'),
        drill: { column: 'county', filter: 'county' },
      },
      {
        id: 'hour',
        title: text('各时段的菜单选择', 'Menu choices by hour of day'),
        chart: { kind: 'heatmap', x: 'hour', y: 'menu', value: 'calls' },
        columns: [column('hour', '时段(点)', 'hour'), ...callColumns],
        rows: shares(byHour, 'hour'),
      },
      {
        id: 'before-after',
        title: text(`区域营销前后的菜单日均呼叫(对比日 ${cutover})`, `Menu calls per day before and after ${cutover}`),
        note: text(
          '对比日默认取第一条实时触发营销短信的日期(无则取区间中点);之前 = 对比日之前,之后 = 对比日及以后',
          'The date defaults to the day of the first real-time trigger message (else mid-range); before = days before it, after = from it on',
        ),
        chart: { kind: 'bar', x: 'menu', values: ['before_per_day', 'after_per_day'] },
        columns: [
          column('menu', '菜单(频道)', 'menu (channel)'),
          column('before_per_day', '之前日均', 'per day before', 'per_user'),
          column('after_per_day', '之后日均', 'per day after', 'per_user'),
          column('change', '变化', 'change', 'ratio'),
          column('before_share', '之前占比', 'share before', 'ratio'),
          column('after_share', '之后占比', 'share after', 'ratio'),
        ],
        rows: beforeAfter,
      },
    ],
  };
}

async function callsBy(context: AnalysisContext, key: string, condition = '1 = 1'): Promise<ResultRow[]> {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, dims, params);
  // One text for both engines (the per-shard rows of ClickHouse are summed over the shards; caller-days
  // are exact there because a caller lives on one shard). The key is a string, number or a non-NULL
  // area type, so ordering by it is the same on both.
  const rows = await context.warehouse.all(
    `SELECT ${key} AS key, f.menu AS menu, sum(f.calls) AS calls, sum(f.callers) AS caller_days
     FROM agg_ivr_menu_hour f
     WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) AND ${condition}${where}
     GROUP BY key, menu ORDER BY key, calls DESC, menu`,
    params,
  );
  return toResultRows(rows);
}

async function menuBeforeAfter(context: AnalysisContext, cutover: string): Promise<ResultRow[]> {
  const params: SqlParam[] = [cutover, context.from, context.to];
  const where = filterClause(context, dims, params);
  const rows = await context.warehouse.all<{ menu: string; before: number; after: number }>(
    context.warehouse.engine === 'clickhouse'
      ? `WITH toDate(?) AS cut
         SELECT f.menu AS menu, sumIf(f.calls, f.day < cut) AS before, sumIf(f.calls, f.day >= cut) AS after
         FROM agg_ivr_menu_hour f
         WHERE f.day BETWEEN toDate(?) AND toDate(?)${where}
         GROUP BY menu ORDER BY menu`
      : `SELECT f.menu, sum(f.calls) FILTER (f.day < c.cut) AS before, sum(f.calls) FILTER (f.day >= c.cut) AS after
         FROM agg_ivr_menu_hour f, (SELECT CAST(? AS DATE) AS cut) c
         WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
         GROUP BY f.menu ORDER BY f.menu`,
    params,
  );
  const daysBefore = Math.max(0, dayDiff(context.from, cutover));
  const daysAfter = Math.max(0, dayDiff(cutover, addDays(context.to, 1)));
  const totalBefore = rows.reduce((t, r) => t + (num(r.before) ?? 0), 0);
  const totalAfter = rows.reduce((t, r) => t + (num(r.after) ?? 0), 0);
  return rows.map((r) => {
    const before = daysBefore > 0 ? (num(r.before) ?? 0) / daysBefore : null;
    const after = daysAfter > 0 ? (num(r.after) ?? 0) / daysAfter : null;
    return {
      menu: r.menu,
      before_per_day: before,
      after_per_day: after,
      change: before && after !== null ? (after - before) / before : null,
      before_share: totalBefore > 0 ? (num(r.before) ?? 0) / totalBefore : null,
      after_share: totalAfter > 0 ? (num(r.after) ?? 0) / totalAfter : null,
    };
  });
}

/** The day of the first message a real-time trigger queued within the range, if any. */
async function firstTriggerDay(context: AnalysisContext): Promise<string | undefined> {
  // The outbox is not on the ClickHouse warehouse (docs/scale-out.md): there the date is the given
  // cutover or mid-range.
  if (context.warehouse.engine === 'clickhouse') return undefined;
  const row = await context.warehouse.one<{ day: string | null }>(
    `SELECT CAST(min(CAST(queued_at AS DATE)) AS VARCHAR) AS day FROM channel_outbox
     WHERE source = 'trigger' AND CAST(queued_at AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`,
    [context.from, context.to],
  );
  return row?.day && row.day > context.from ? row.day : undefined;
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function midpoint(from: string, to: string): string {
  return addDays(from, Math.floor(dayDiff(from, to) / 2) + 1);
}

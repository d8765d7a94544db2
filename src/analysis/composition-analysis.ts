// Customer composition (客户构成分析) at the end of the range: ARPU band, brand, region/county,
// tenure and age, and the brand mix of the people seen in each kind of area (campus, station, …).
import type { SqlParam } from '../warehouse/index.ts';
import { ageBands, tenureBands } from '../metrics/index.ts';
import { type AnalysisContext, areaLevel } from './analysis-context.ts';
import { filterClause } from './filter-clause.ts';
import { metricRows } from './metric-rows.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';
import type { AnalysisResult, AnalysisSection, ResultRow } from './analysis-result.ts';

const subscribersColumn = column('subscribers', '用户数', 'subscribers', 'count');
const shareColumn = column('share', '占比', 'share', 'ratio');

function withShare(rows: Record<string, unknown>[], key: string): ResultRow[] {
  const total = rows.reduce((sum, r) => sum + (num(r.value) ?? 0), 0);
  return rows.map((r) => ({
    [key]: String(r[key]),
    subscribers: num(r.value),
    share: total > 0 ? (num(r.value) ?? 0) / total : null,
  }));
}

export async function compositionAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const level = areaLevel(context);
  const [arpu, brand, area, tenure, age, brandByAreaType] = await Promise.all([
    metricRows(context, 'subscribers', ['arpu_band']),
    metricRows(context, 'subscribers', ['brand']),
    metricRows(context, 'subscribers', [level, 'brand']),
    metricRows(context, 'subscribers', ['tenure_band']),
    metricRows(context, 'subscribers', ['age_band', 'brand']),
    brandMixByAreaType(context),
  ]);
  const bandOrder = (order: readonly string[], key: string) => (a: ResultRow, b: ResultRow) =>
    order.indexOf(String(a[key])) - order.indexOf(String(b[key]));
  const sections: AnalysisSection[] = [
    {
      id: 'arpu-band',
      title: text('ARPU 分档', 'ARPU bands'),
      note: text('按最近一个出账月的月消费(元)分档', 'By the latest billed month (yuan)'),
      chart: { kind: 'pie', x: 'arpu_band', value: 'subscribers' },
      columns: [column('arpu_band', 'ARPU 档(元)', 'ARPU band (yuan)'), subscribersColumn, shareColumn],
      rows: withShare(arpu, 'arpu_band').sort(
        bandOrder(['0-30', '30-60', '60-100', '100-200', '200+', 'null'], 'arpu_band'),
      ),
    },
    {
      id: 'brand',
      title: text('品牌构成', 'Brands'),
      chart: { kind: 'pie', x: 'brand', value: 'subscribers' },
      columns: [column('brand', '品牌', 'brand'), subscribersColumn, shareColumn],
      rows: withShare(brand, 'brand'),
    },
    {
      id: 'area',
      title: level === 'region' ? text('地市 × 品牌', 'Regions by brand') : text('区县 × 品牌', 'Counties by brand'),
      chart: { kind: 'stacked-bar', x: 'area', by: 'brand', value: 'subscribers' },
      drill: level === 'region' ? { column: 'area', filter: 'region' } : undefined,
      columns: [
        column('area', level === 'region' ? '地市' : '区县', level, undefined, { dimension: level }),
        column('brand', '品牌', 'brand'),
        subscribersColumn,
      ],
      rows: toResultRows(
        area.map((r) => ({ area: String(r[level]), brand: String(r.brand), subscribers: num(r.value) })),
      ),
    },
    {
      id: 'tenure',
      title: text('在网时长', 'Tenure'),
      chart: { kind: 'bar', x: 'tenure_band', values: ['subscribers'] },
      columns: [column('tenure_band', '在网时长', 'tenure'), subscribersColumn, shareColumn],
      rows: withShare(tenure, 'tenure_band').sort(bandOrder(tenureBands, 'tenure_band')),
    },
    {
      id: 'age',
      title: text('年龄段 × 品牌', 'Age bands by brand'),
      chart: { kind: 'stacked-bar', x: 'age_band', by: 'brand', value: 'subscribers' },
      columns: [column('age_band', '年龄段', 'age band'), column('brand', '品牌', 'brand'), subscribersColumn],
      // In band order, youngest first: the chart draws its x values in the order of the rows.
      rows: toResultRows(
        age.map((r) => ({ age_band: String(r.age_band), brand: String(r.brand), subscribers: num(r.value) })),
      ).sort(bandOrder(ageBands, 'age_band')),
    },
    {
      id: 'brand-by-area-type',
      title: text('各类区域出现用户的品牌构成', 'Brand mix of the people seen in each kind of area'),
      note: text(
        '来自最近一个有信令的日期:在该类区域小区出现过的用户',
        'From the latest day with signalling: subscribers seen in cells of that kind of area',
      ),
      chart: { kind: 'stacked-bar', x: 'area_type', by: 'brand', value: 'share' },
      columns: [
        column('area_type', '区域类型', 'area type'),
        column('brand', '品牌', 'brand'),
        subscribersColumn,
        column('share', '区域内占比', 'share in area', 'ratio'),
      ],
      rows: brandByAreaType,
    },
  ];
  return {
    kind: 'composition',
    title: text('客户构成分析', 'Customer composition'),
    from: context.from,
    to: context.to,
    sections,
  };
}

/**
 * Which brands are present in each kind of area on the latest day with signalling in the range (the
 * loader's per-day count of the subscribers seen in cells of each kind of area).
 */
async function brandMixByAreaType(context: AnalysisContext): Promise<ResultRow[]> {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, { region: 'f.region', county: 'f.county', brand: 'f.brand' }, params);
  // One text for both engines (ClickHouse 18.16 has no CTE; its scalar subquery is summed over shards).
  const rows = await context.warehouse.all(
    `SELECT f.area_type AS area_type, f.brand AS brand, sum(f.subscribers) AS seen
     FROM agg_area_type_day f
     WHERE f.day = (SELECT max(day) FROM agg_area_type_day WHERE day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))${where}
     GROUP BY area_type, brand ORDER BY area_type, brand`,
    params,
  );
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(String(r.area_type), (totals.get(String(r.area_type)) ?? 0) + Number(r.seen));
  return rows.map((r) => ({
    area_type: String(r.area_type),
    brand: String(r.brand),
    subscribers: Number(r.seen),
    share: Number(r.seen) / (totals.get(String(r.area_type)) ?? 1),
  }));
}

// Area view offline (区域数据呈现): pick an area (a stored geofence, or an area type / county through
// the filters), a period and the fields to show, as the 12580 team did for the railway station:
// subscribers present by hour, their brand mix, and how many of them called 114 and 12580 from there.
// Read from the loaded signalling aggregates (agg_cell_hour, agg_cell_brand_day), never the events.
import { AppError } from '../shared/errors.ts';
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';
import { areaTypeLabels } from '../metrics/index.ts';
import type { AnalysisResult, AnalysisSection, Bilingual } from './analysis-result.ts';
import { areaCells } from './area-cells.ts';

export const areaViewFields = ['present', 'brands', 'callers'] as const;

export async function areaViewAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const fields = context.fields?.length ? context.fields : areaViewFields;
  for (const field of fields) {
    if (!(areaViewFields as readonly string[]).includes(field)) {
      throw new AppError('INPUT_INVALID', `unknown area-view field "${field}"`, {
        location: { field: 'fields' },
        hint: `fields: ${areaViewFields.join(', ')}`,
      });
    }
  }
  const clickhouse = context.warehouse.engine === 'clickhouse';
  if (clickhouse && context.geofence !== undefined) {
    // Geofences live with the stream's tables, which the ClickHouse warehouse does not hold.
    throw new AppError(
      'WAREHOUSE_UNSUPPORTED',
      'the area view of a geofence does not run on the ClickHouse warehouse yet',
      {
        location: { field: 'geofence' },
        hint: 'pick the area with --filter area_type=station or --filter county=源城 instead, or leave --warehouse out to use the DuckDB file',
      },
    );
  }
  const area = await areaCells(context, context.geofence);
  const cellList = area.cells.map((c) => c.cell_id).join(',');
  const nameOf = new Map(area.cells.map((c) => [c.cell_id, c.name]));
  const brandWhere = context.filters.brand
    ? ` AND f.brand IN (${context.filters.brand.map(() => '?').join(', ')})`
    : '';
  const brandParams: SqlParam[] = context.filters.brand ? [...context.filters.brand] : [];
  const inArea = clickhouse
    ? `has(splitByChar(',', ?), f.cell_id)`
    : `f.cell_id IN (SELECT unnest(string_split(?, ',')))`;
  const range = 'f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)';
  // Aliases named apart from the columns, and sums ordered in an outer SELECT: ClickHouse would read
  // `f.hour` or `sum(f.callers_114)` inside another expression as the alias of the same name.
  const hourText = clickhouse
    ? `concat(toString(f.day), ' ', if(f.hour < 10, '0', ''), toString(f.hour), ':00')`
    : `strftime(f.day, '%Y-%m-%d') || ' ' || lpad(CAST(f.hour AS VARCHAR), 2, '0') || ':00'`;

  const [hours, brands, places] = await Promise.all([
    fields.includes('present')
      ? context.warehouse
          .all(
            `SELECT ${hourText} AS hour_text, sum(f.subscribers) AS present, sum(f.events) AS events,
                    sum(f.calls_114) AS calls_114, sum(f.calls_12580) AS calls_12580
             FROM agg_cell_hour f WHERE ${inArea} AND ${range} GROUP BY f.day, f.hour, hour_text ORDER BY f.day, f.hour`,
            [cellList, context.from, context.to],
          )
          .then((rows) => rows.map(({ hour_text, ...r }) => ({ hour: hour_text, ...r })))
      : Promise.resolve([]),
    context.warehouse.all(
      `SELECT f.brand AS brand, sum(f.subscribers) AS subscribers, sum(f.callers_114) AS callers_114,
              sum(f.callers_12580) AS callers_12580
       FROM agg_cell_brand_day f WHERE ${inArea} AND ${range}${brandWhere} GROUP BY brand ORDER BY subscribers DESC, brand`,
      [cellList, context.from, context.to, ...brandParams],
    ),
    fields.includes('callers')
      ? context.warehouse.all<Record<string, unknown>>(
          `SELECT cell_id, subscribers, callers_114, callers_12580
           FROM (SELECT f.cell_id AS cell_id, sum(f.subscribers) AS subscribers, sum(f.callers_114) AS callers_114,
                        sum(f.callers_12580) AS callers_12580
                 FROM agg_cell_brand_day f WHERE ${inArea} AND ${range}${brandWhere}
                 GROUP BY cell_id)
           ORDER BY callers_114 + callers_12580 DESC, subscribers DESC, cell_id LIMIT 30`,
          [cellList, context.from, context.to, ...brandParams],
        )
      : Promise.resolve([]),
  ]);
  const seen = brands.reduce((t, r) => t + (num(r.subscribers) ?? 0), 0);
  const areaName = area.name ? { zh: area.name, en: area.name } : areaLabel(context);
  const sections: AnalysisSection[] = [];
  const cellNote = text(
    `所选区域共 ${area.cells.length} 个小区;人数按小区逐日(或逐时)去重后相加,同一用户到过两个小区计两次`,
    `${area.cells.length} cells in the area; people are counted once per cell and day (or hour) and summed over the cells, so someone seen in two cells counts twice`,
  );
  if (fields.includes('present')) {
    sections.push({
      id: 'present',
      title: text(`${areaName.zh}:各时段在场用户`, `${areaName.en}: subscribers present by hour`),
      note: cellNote,
      chart: { kind: 'line', x: 'hour', values: ['present'], rightAxis: ['calls_114', 'calls_12580'] },
      columns: [
        column('hour', '时段', 'hour'),
        column('present', '在场用户', 'subscribers present', 'count'),
        column('events', '信令事件', 'signalling events', 'count'),
        column('calls_114', '114 呼叫', '114 calls', 'count'),
        column('calls_12580', '12580 呼叫', '12580 calls', 'count'),
      ],
      rows: toResultRows(hours),
    });
  }
  if (fields.includes('brands')) {
    sections.push({
      id: 'brands',
      title: text(`${areaName.zh}:品牌构成`, `${areaName.en}: brand mix`),
      chart: { kind: 'pie', x: 'brand', values: ['subscribers'] },
      columns: [
        column('brand', '品牌', 'brand'),
        column('subscribers', '到访用户(小区·日)', 'visitors (cell-days)', 'count'),
        column('share', '占比', 'share', 'ratio'),
      ],
      rows: brands.map((r) => ({
        brand: String(r.brand),
        subscribers: num(r.subscribers),
        share: seen > 0 ? (num(r.subscribers) ?? 0) / seen : null,
      })),
    });
  }
  if (fields.includes('callers')) {
    sections.push({
      id: 'callers',
      title: text(`${areaName.zh}:主叫 114 与咨询 12580 用户数`, `${areaName.en}: callers of 114 and of 12580`),
      note: text(
        '与案例中的表相同:各小区内拨打 114 的用户数与拨打 12580 的用户数(前 30 个小区)',
        'As in the case study’s table: per cell, the subscribers who called 114 and those who called 12580 from it (top 30 cells)',
      ),
      chart: { kind: 'bar', x: 'place', values: ['callers_114', 'callers_12580'] },
      columns: [
        column('place', '小区', 'cell'),
        column('cell_id', '小区编号', 'cell id'),
        column('subscribers', '到访用户', 'visitors', 'count'),
        column('callers_114', '主叫 114 用户数', 'callers of 114', 'count'),
        column('callers_12580', '咨询 12580 用户数', 'callers of 12580', 'count'),
      ],
      rows: places.map((r) => ({
        place: nameOf.get(String(r.cell_id)) ?? String(r.cell_id),
        cell_id: String(r.cell_id),
        subscribers: num(r.subscribers),
        callers_114: num(r.callers_114),
        callers_12580: num(r.callers_12580),
      })),
    });
  }
  return {
    kind: 'area-view',
    title: text(`区域数据呈现:${areaName.zh}`, `Area view: ${areaName.en}`),
    from: context.from,
    to: context.to,
    headlines: [
      {
        key: 'cells',
        label: text('小区数', 'Cells'),
        definition: text('所选区域包含的基站小区个数', 'Cells inside the chosen area'),
        value: area.cells.length,
        unit: 'count',
      },
      {
        key: 'visitors',
        label: text('到访用户(小区·日)', 'Visitors (cell-days)'),
        definition: text(
          '各小区每日出现的不同用户数之和;同一用户一天到过两个小区计两次',
          'Distinct subscribers seen per cell and day, summed; one seen in two cells on a day counts twice',
        ),
        value: seen,
        unit: 'count',
      },
      {
        key: 'callers_114',
        label: text('主叫 114 用户', 'Callers of 114'),
        definition: text(
          '期间在区域内主叫 114 的不同用户数(按小区·日)',
          'Distinct subscribers calling 114 from the area (per cell and day)',
        ),
        value: brands.reduce((t, r) => t + (num(r.callers_114) ?? 0), 0),
        unit: 'count',
      },
      {
        key: 'callers_12580',
        label: text('咨询 12580 用户', 'Callers of 12580'),
        definition: text(
          '期间在区域内拨打 12580 的不同用户数(按小区·日)',
          'Distinct subscribers calling 12580 from the area (per cell and day)',
        ),
        value: brands.reduce((t, r) => t + (num(r.callers_12580) ?? 0), 0),
        unit: 'count',
      },
    ],
    sections,
  };
}

function areaLabel(context: AnalysisContext): Bilingual {
  const counties = context.filters.county ?? [];
  const types = context.filters.area_type ?? [];
  if (counties.length === 0 && types.length === 0) return { zh: '全市', en: 'whole city' };
  const type = (t: string) => areaTypeLabels[t] ?? { zh: t, en: t };
  return {
    zh: [...counties, ...types.map((t) => type(t).zh)].join('、'),
    en: [...counties, ...types.map((t) => type(t).en)].join(', '),
  };
}

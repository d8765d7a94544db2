// The analyses, one entry each: what they may be filtered by, their default time grain, and the
// function that computes them. The CLI (`telmark analyze KIND`), the API (/api/analysis/KIND) and the
// dashboard all go through runAnalysis.
import {
  type AttributeDimension,
  type DimensionCatalogue,
  cachedDimensionCatalogue,
  type TimeGrain,
} from '../metrics/index.ts';
import { assertCalendarDates } from '../shared/calendar-date.ts';
import { AppError } from '../shared/errors.ts';
import type { QueryWarehouse, Warehouse } from '../warehouse/index.ts';
import { activityAnalysis } from './activity-analysis.ts';
import { areaViewAnalysis } from './area-view-analysis.ts';
import { bundleAnalysis } from './bundle-analysis.ts';
import { ivrMenuAnalysis } from './ivr-menu-analysis.ts';
import { marketingVolumeAnalysis } from './marketing-volume-analysis.ts';
import { smsForwardAnalysis } from './sms-forward-analysis.ts';
import { type AnalysisContext, type AnalysisRequest, resolveContext } from './analysis-context.ts';
import type { AnalysisResult, Bilingual } from './analysis-result.ts';
import { channelAnalysis } from './channel-analysis.ts';
import { compositionAnalysis } from './composition-analysis.ts';
import { effectAnalysis } from './effect-analysis.ts';
import { kpiAnalysis } from './kpi-analysis.ts';
import { overviewAnalysis } from './overview-analysis.ts';
import { tariffAnalysis } from './tariff-analysis.ts';
import { trialStickinessAnalysis } from './trial-stickiness-analysis.ts';

export interface AnalysisDefinition {
  kind: string;
  title: Bilingual;
  filters: readonly AttributeDimension[];
  defaultGrain: TimeGrain;
  run(context: AnalysisContext): Promise<AnalysisResult>;
}

const area: readonly AttributeDimension[] = ['region', 'county', 'brand'];

export const analysisDefinitions: readonly AnalysisDefinition[] = [
  {
    kind: 'overview',
    title: { zh: '总览', en: 'Overview' },
    filters: area,
    defaultGrain: 'day',
    run: overviewAnalysis,
  },
  {
    kind: 'kpi',
    title: { zh: '业务指标分析', en: 'KPI analysis' },
    filters: [...area, 'service', 'service_category'],
    defaultGrain: 'day',
    run: kpiAnalysis,
  },
  {
    kind: 'composition',
    title: { zh: '客户构成分析', en: 'Customer composition' },
    filters: area,
    defaultGrain: 'month',
    run: compositionAnalysis,
  },
  {
    kind: 'tariff',
    title: { zh: '资费分析', en: 'Tariff analysis' },
    filters: [...area, 'plan', 'service'],
    defaultGrain: 'month',
    run: tariffAnalysis,
  },
  {
    kind: 'activity',
    title: { zh: '活性分析', en: 'Activity analysis' },
    filters: [...area, 'service'],
    defaultGrain: 'week',
    run: activityAnalysis,
  },
  {
    kind: 'channels',
    title: { zh: '订/退来源分析', en: 'Order and cancellation channels' },
    filters: [...area, 'service'],
    defaultGrain: 'week',
    run: channelAnalysis,
  },
  {
    kind: 'trial-stickiness',
    title: { zh: '新用户业务赠送粘性分析', en: 'New-user trial stickiness' },
    filters: [...area, 'service'],
    defaultGrain: 'month',
    run: trialStickinessAnalysis,
  },
  {
    kind: 'effect',
    title: { zh: '12580 效果分析', en: '12580 effect' },
    filters: area,
    defaultGrain: 'month',
    run: effectAnalysis,
  },
  {
    kind: 'sms-forward',
    title: { zh: '点对点短信转发率', en: 'P2P SMS forward rate' },
    filters: area,
    defaultGrain: 'day',
    run: smsForwardAnalysis,
  },
  {
    kind: 'ivr-menus',
    title: { zh: '12580 分频道使用习惯', en: '12580 usage by channel' },
    filters: [...area, 'area_type', 'access_code', 'menu'],
    defaultGrain: 'day',
    run: ivrMenuAnalysis,
  },
  {
    kind: 'area-view',
    title: { zh: '区域数据呈现', en: 'Area view' },
    filters: ['region', 'county', 'brand', 'area_type'],
    defaultGrain: 'day',
    run: areaViewAnalysis,
  },
  {
    kind: 'marketing',
    title: { zh: '营销量与营销成功率', en: 'Marketing volume and success rate' },
    filters: area,
    defaultGrain: 'month',
    run: marketingVolumeAnalysis,
  },
  {
    kind: 'bundles',
    title: { zh: '业务捆绑推荐', en: 'Recommended service bundles' },
    filters: area,
    defaultGrain: 'month',
    run: bundleAnalysis,
  },
];

export const analysisKinds = analysisDefinitions.map((a) => a.kind);

export function findAnalysis(kind: string): AnalysisDefinition {
  const definition = analysisDefinitions.find((a) => a.kind === kind);
  if (!definition) {
    throw new AppError('INPUT_INVALID', `unknown analysis "${kind}"`, {
      location: { field: 'kind' },
      hint: `known analyses: ${analysisKinds.join(', ')}`,
    });
  }
  return definition;
}

/**
 * Analyses that run on the ClickHouse warehouse too (KPIs and the aggregates its loader builds per
 * shard, docs/scale-out.md); the others read tables only the DuckDB file holds.
 */
export const clickhouseAnalyses: readonly string[] = [
  'overview',
  'kpi',
  'sms-forward',
  'effect',
  'composition',
  'tariff',
  'area-view',
  'channels',
  'activity',
  'trial-stickiness',
  'bundles',
  'ivr-menus',
  'marketing',
];

export interface RunAnalysisOptions {
  /** The dimension catalogue when the caller holds it already. */
  catalogue?: DimensionCatalogue;
  /** With the facts on ClickHouse: the operational store beside them (the marketing analysis reads its outbox). */
  state?: Warehouse;
}

export async function runAnalysis(
  warehouse: QueryWarehouse,
  kind: string,
  request: AnalysisRequest = {},
  options: RunAnalysisOptions = {},
): Promise<AnalysisResult> {
  const definition = findAnalysis(kind);
  if (warehouse.engine === 'clickhouse' && !clickhouseAnalyses.includes(kind)) {
    throw new AppError('WAREHOUSE_UNSUPPORTED', `the ${kind} analysis does not run on the ClickHouse warehouse yet`, {
      location: { field: 'kind' },
      hint: `on ClickHouse: telmark analyze ${clickhouseAnalyses.join(' | ')}, and every KPI (telmark kpi); docs/scale-out.md`,
    });
  }
  // Checked before the catalogue's query, so a bad day never reaches SQL.
  assertCalendarDates({ from: request.from, to: request.to, cutover: request.cutover });
  if ((request.geofence !== undefined || request.fields !== undefined) && kind !== 'area-view') {
    throw new AppError('INPUT_INVALID', `geofence and fields apply to the area view only, not to "${kind}"`, {
      location: { field: request.geofence !== undefined ? 'geofence' : 'fields' },
      hint: 'telmark analyze area-view --geofence ID --fields present,brands,callers',
    });
  }
  const catalogue = options.catalogue ?? (await cachedDimensionCatalogue(warehouse));
  const context = resolveContext(warehouse, catalogue, request, {
    allowedFilters: definition.filters,
    defaultGrain: definition.defaultGrain,
  });
  return definition.run(options.state ? { ...context, state: options.state } : context);
}

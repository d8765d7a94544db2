// One page for any analysis: loads /api/analysis/<kind> with the URL's filters and draws every
// section (chart + table). Sections that name a drill column turn a click (or Enter on a row) into a
// filter (region → county), and a path above the results leads back up. The grain and comparison date
// shown are the ones the answer was drawn with.
import { useMemo } from 'react';
import type { AnalysisResult, AnalysisSection } from '../../../src/analysis/analysis-result.ts';
import { useApi } from '../api.ts';
import { Chart } from '../components/chart.tsx';
import { buildChartOption } from '../components/chart-options.ts';
import { DataTable } from '../components/data-table.tsx';
import { useDimensionLabels } from '../components/dimension-labels.ts';
import { FilterBar, type FilterKey, type Filters, filterQuery, useFilters } from '../components/filter-bar.tsx';
import { Headlines } from '../components/headlines.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useValueLabels } from '../components/value-labels.ts';
import { useI18n } from '../i18n/index.ts';
import { setQuery } from '../url-state.ts';
import type { PageProps } from './page-props.ts';

interface PageConfig {
  dims: readonly FilterKey[];
  grain: boolean;
  cutover: boolean;
  defaultGrain: 'day' | 'week' | 'month';
}

const pageConfigs: Record<string, PageConfig> = {
  overview: { dims: ['region', 'county', 'brand'], grain: true, cutover: false, defaultGrain: 'day' },
  kpi: { dims: ['region', 'county', 'brand', 'service'], grain: true, cutover: false, defaultGrain: 'day' },
  composition: { dims: ['region', 'county', 'brand'], grain: false, cutover: false, defaultGrain: 'month' },
  tariff: { dims: ['region', 'county', 'brand', 'service'], grain: false, cutover: false, defaultGrain: 'month' },
  activity: { dims: ['region', 'county', 'brand'], grain: true, cutover: false, defaultGrain: 'week' },
  channels: { dims: ['county', 'brand', 'service'], grain: true, cutover: false, defaultGrain: 'week' },
  'trial-stickiness': { dims: ['service', 'brand'], grain: false, cutover: false, defaultGrain: 'month' },
  // The effect views are fixed (by day and by month): no grain to choose.
  effect: { dims: ['county', 'brand'], grain: false, cutover: true, defaultGrain: 'month' },
  'sms-forward': { dims: ['region', 'county', 'brand'], grain: true, cutover: false, defaultGrain: 'day' },
  'ivr-menus': {
    dims: ['county', 'brand', 'area_type', 'access_code'],
    grain: false,
    cutover: true,
    defaultGrain: 'day',
  },
  marketing: { dims: ['county', 'brand'], grain: false, cutover: false, defaultGrain: 'month' },
  bundles: { dims: ['region', 'county', 'brand'], grain: false, cutover: false, defaultGrain: 'month' },
};

/** Renders the analysis named by the page definition's `analysis` (see pages/index.ts). */
export function AnalysisPage({ analysis = 'overview' }: PageProps) {
  const kind = analysis;
  const config = pageConfigs[kind] ?? { dims: [], grain: false, cutover: false, defaultGrain: 'month' };
  const filters = useFilters(config.defaultGrain);
  const { data, error, loading } = useApi<AnalysisResult>(`/api/analysis/${kind}?${filterQuery(filters)}`);
  return (
    <div className="page" data-testid={`page-${kind}`} data-grain={data?.grain}>
      <FilterBar
        dims={config.dims}
        grain={config.grain}
        cutover={config.cutover}
        defaultGrain={config.defaultGrain}
        grainDrawn={data?.grain}
        cutoverUsed={data?.cutover}
      />
      {/* After a drill-down (or a region chosen) the sections show counties: the path leads back up. */}
      {(config.dims.includes('region') || config.dims.includes('county')) && <DrillPath filters={filters.dims} />}
      <StateMessage loading={loading && !data} error={error} />
      {data && (
        <div className={loading ? 'results stale' : 'results'} data-testid="results" data-loading={loading}>
          {data.headlines && <Headlines items={data.headlines} />}
          {data.sections.map((section) => (
            <SectionView key={section.id} section={section} kind={kind} />
          ))}
        </div>
      )}
    </div>
  );
}

/** Where a drill-down has led (全部地区 › 河源 › 龙川), each step a way back up. */
function DrillPath({ filters }: { filters: Filters['dims'] }) {
  const { t } = useI18n();
  const labels = useDimensionLabels();
  if (!filters.region && !filters.county) return null;
  return (
    <nav className="drill-path" aria-label={t('drill.back')} data-testid="drill-path">
      <button
        type="button"
        className="button ghost"
        data-testid="drill-up"
        onClick={() => setQuery(filters.county ? { county: undefined } : { region: undefined })}
      >
        ↑ {t('drill.back')}
      </button>
      <button type="button" className="link" onClick={() => setQuery({ region: undefined, county: undefined })}>
        {t('drill.all')}
      </button>
      {filters.region && (
        <>
          <span aria-hidden="true">›</span>
          <button type="button" className="link" onClick={() => setQuery({ county: undefined })}>
            {labels.value('region', filters.region)}
          </button>
        </>
      )}
      {filters.county && (
        <>
          <span aria-hidden="true">›</span>
          <span aria-current="page">{labels.value('county', filters.county)}</span>
        </>
      )}
    </nav>
  );
}

export function SectionView({ section, kind }: { section: AnalysisSection; kind: string }) {
  const { lang, pick, t } = useI18n();
  const labelValue = useValueLabels();
  const option = useMemo(() => buildChartOption(section, lang, labelValue), [section, lang, labelValue]);
  const drill = section.drill;
  const xValues = useMemo(() => {
    const x = section.chart?.x;
    return x ? [...new Set(section.rows.map((r) => String(r[x] ?? '')))] : [];
  }, [section]);
  const drillTo = (value: unknown) => {
    if (!drill || value === null || value === undefined) return;
    setQuery({ [drill.filter]: String(value), ...(drill.filter === 'region' ? { county: undefined } : {}) });
  };
  return (
    <div className={section.columns.length > 4 ? 'section wide' : 'section'} data-testid={`section-${section.id}`}>
      {option && (
        <section className="panel">
          <header className="panel-header">
            <h3>{pick(section.title)}</h3>
            {drill && <span className="muted">{t('drill.hint')}</span>}
          </header>
          {section.note && <p className="note">{pick(section.note)}</p>}
          <Chart
            option={option}
            height={section.chart?.kind === 'heatmap' ? 380 : 300}
            onClick={
              drill && section.chart?.x === drill.column
                ? // The axis shows labels; the filter takes the value at the clicked position.
                  (p) => drillTo(xValues[p.dataIndex ?? -1])
                : undefined
            }
          />
        </section>
      )}
      <DataTable
        title={option ? undefined : section.title}
        columns={section.columns}
        rows={section.rows}
        fileName={`telmark-${kind}-${section.id}`}
        maxRows={200}
        onRowClick={drill ? (row) => drillTo(row[drill.column]) : undefined}
      />
    </div>
  );
}

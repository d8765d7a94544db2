// KPI explorer: any KPI of the metrics layer, asked the analyst's own question. Metric, time grain,
// up to two dimensions, the date range and the filters all live in the URL (a view can be bookmarked),
// /api/kpi/:metric answers, and the answer is drawn as a chart and a table with CSV export.
import { useMemo } from 'react';
import type { MetricCatalogue, MetricResult } from '../../../src/metrics/index.ts';
import { type ApiError, useApi } from '../api.ts';
import { Chart } from '../components/chart.tsx';
import { buildChartOption } from '../components/chart-options.ts';
import { DataTable } from '../components/data-table.tsx';
import { useDimensionLabels } from '../components/dimension-labels.ts';
import { FilterBar, filterKeys, useFilters } from '../components/filter-bar.tsx';
import { Headlines } from '../components/headlines.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import { useLocation } from '../url-state.ts';
import { defaultBreakdown, defaultMetric, isTimeGrain, kpiApiPath, parseBreakdown } from './kpi-breakdown.ts';
import { grainKeys, KpiControls, MetricNote } from './kpi-controls.tsx';
import { kpiResultSection } from './kpi-result-section.ts';

export function KpiExplorerPage() {
  const { query } = useLocation();
  const filters = useFilters();
  const catalogue = useApi<MetricCatalogue>('/api/metrics');
  // A bare /kpi shows a default question; once the metric is in the URL, a missing `by` means "no breakdown".
  const metricName = query.get('metric') ?? defaultMetric;
  const breakdown = parseBreakdown(query.has('metric') ? query.get('by') : (query.get('by') ?? defaultBreakdown));
  const metric = catalogue.data?.metrics.find((m) => m.name === metricName);
  // Filters are sent as the URL has them, even one the metric does not know: the API's 400 then says
  // so, instead of the page quietly showing numbers that ignore part of the URL.
  const answer = useApi<MetricResult>(
    kpiApiPath({ metric: metricName, breakdown, from: filters.from, to: filters.to, filters: filters.dims }),
  );
  const filterDims = filterKeys.filter((k) => metric?.dimensions.includes(k));

  return (
    <div className="page" data-testid="page-kpi-explorer">
      {catalogue.data && <KpiControls metrics={catalogue.data.metrics} metricName={metricName} breakdown={breakdown} />}
      <MetricNote metric={metric} />
      <FilterBar dims={filterDims} grain={false} />
      <StateMessage loading={catalogue.loading && !catalogue.data} error={catalogue.error} />
      <AnswerProblem error={answer.error} />
      <StateMessage loading={answer.loading && !answer.data && !answer.error} error={undefined} />
      {answer.data && <AnswerView answer={answer.data} loading={answer.loading} />}
    </div>
  );
}

/** A 400 is the analyst's question not fitting the metric (orders by channel and plan): say so plainly. */
function AnswerProblem({ error }: { error: ApiError | undefined }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  if (error.code !== 'INPUT_INVALID') return <StateMessage loading={false} error={error} />;
  // The API's words are English: in the Chinese interface they wait under "details".
  const details = (
    <>
      <div data-testid="error-message">{error.message}</div>
      {error.hint && (
        <div className="muted" data-testid="error-hint">
          {error.hint}
        </div>
      )}
    </>
  );
  return (
    <div className="message error" role="alert" data-testid="error">
      <strong>{t('kpi.invalid')}</strong>
      {lang === 'en' ? (
        details
      ) : (
        <details className="muted">
          <summary>{t('error.details')}</summary>
          <div lang="en">{details}</div>
        </details>
      )}
    </div>
  );
}

function AnswerView({ answer, loading }: { answer: MetricResult; loading: boolean }) {
  const { t, lang, pick } = useI18n();
  const labels = useDimensionLabels();
  const section = useMemo(
    () =>
      kpiResultSection(answer, {
        grain: (name) => (isTimeGrain(name) ? t(grainKeys[name]) : name),
        dimension: labels.dimension,
        value: labels.value,
      }),
    [answer, labels, t],
  );
  // Values in the rows are labels already, so the chart needs no labeller of its own.
  const option = useMemo(() => buildChartOption(section, lang), [section, lang]);
  const breakdownTitle = [
    ...(answer.grain && isTimeGrain(answer.grain) ? [t(grainKeys[answer.grain])] : []),
    ...answer.dimensions.map((d) => pick(labels.dimension(d))),
  ].join(' × ');
  const single = answer.rows[0];

  return (
    <div className={loading ? 'results stale' : 'results'} data-testid="results" data-loading={loading}>
      {answer.rows.length === 0 ? (
        <div className="message muted" data-testid="kpi-empty">
          {t('kpi.empty')}
        </div>
      ) : !section.chart && single ? (
        // No breakdown: one number, best read as a headline.
        <Headlines
          items={[
            {
              key: answer.metric.name,
              label: answer.metric.label,
              definition: answer.metric.description,
              value: typeof single.value === 'number' ? single.value : null,
              unit: answer.metric.unit,
            },
          ]}
        />
      ) : (
        option && (
          <section className="panel">
            <header className="panel-header">
              <h3>
                {pick(answer.metric.label)}
                {breakdownTitle && ` · ${breakdownTitle}`}
              </h3>
            </header>
            <Chart option={option} height={360} />
          </section>
        )
      )}
      <DataTable
        columns={section.columns}
        rows={section.rows}
        fileName={`telmark-kpi-${answer.metric.name}${answer.dimensions.length > 0 ? `-by-${answer.dimensions.join('-')}` : ''}`}
        maxRows={1000}
      />
    </div>
  );
}

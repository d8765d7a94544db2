// The KPI explorer's question: which metric, over which time grain, split by which dimensions. Only
// what the chosen metric allows is offered (its `dimensions` in /api/metrics); every change goes to
// the URL, which the page reads back, so the controls hold no state of their own.
import type { MetricInfo } from '../../../src/metrics/index.ts';
import { useDimensionLabels } from '../components/dimension-labels.ts';
import { filterKeys } from '../components/filter-bar.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { setQuery } from '../url-state.ts';
import {
  type Breakdown,
  dimensionSlots,
  fitBreakdown,
  formatBreakdown,
  isTimeGrain,
  type TimeGrain,
  withDimension,
} from './kpi-breakdown.ts';

/** Typed maps rather than built keys, so a new unit or grain without a text fails the type check. */
export const unitKeys: Record<MetricInfo['unit'], MessageKey> = {
  count: 'unit.count',
  ratio: 'unit.ratio',
  yuan: 'unit.yuan',
  per_user: 'unit.per_user',
  seconds: 'unit.seconds',
};
export const grainKeys: Record<TimeGrain, MessageKey> = { day: 'grain.day', week: 'grain.week', month: 'grain.month' };

export interface KpiControlsProps {
  metrics: readonly MetricInfo[];
  /** The metric named in the URL; may be unknown (a stale bookmark), then the API says so. */
  metricName: string;
  breakdown: Breakdown;
}

export function KpiControls({ metrics, metricName, breakdown }: KpiControlsProps) {
  const { t, pick } = useI18n();
  const labels = useDimensionLabels();
  const metric = metrics.find((m) => m.name === metricName);
  const allowed: readonly string[] = metric?.dimensions ?? [];
  const grains = allowed.filter(isTimeGrain);
  const dims = allowed.filter((d) => !isTimeGrain(d));
  // Both keys are always written: a bare /kpi shows a default breakdown, a written metric means "as chosen".
  const ask = (next: Breakdown) => setQuery({ metric: metricName, by: formatBreakdown(next) ?? '' });

  const chooseMetric = (name: string) => {
    const next = metrics.find((m) => m.name === name);
    if (!next) return;
    // Filters the new metric does not know would only earn a 400: drop them with the metric change.
    const dropped = filterKeys.filter((k) => !next.dimensions.includes(k));
    setQuery({
      ...Object.fromEntries(dropped.map((k) => [k, undefined])),
      metric: name,
      by: formatBreakdown(fitBreakdown(breakdown, next.dimensions)) ?? '',
    });
  };

  return (
    <div className="filter-bar" data-testid="kpi-controls">
      <label>
        <span>{t('kpi.metric')}</span>
        <select name="metric" value={metricName} onChange={(e) => chooseMetric(e.target.value)}>
          {metric ? null : <option value={metricName}>{metricName}</option>}
          {metrics.map((m) => (
            <option key={m.name} value={m.name}>
              {pick(m.label)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('kpi.grain')}</span>
        <select
          name="breakdown-grain"
          value={breakdown.grain ?? ''}
          onChange={(e) => ask({ ...breakdown, grain: isTimeGrain(e.target.value) ? e.target.value : undefined })}
        >
          <option value="">{t('kpi.grain.none')}</option>
          {/* A grain from a hand-edited URL that the metric lacks stays visible; the API explains. */}
          {breakdown.grain && !grains.includes(breakdown.grain) && (
            <option value={breakdown.grain}>{t(grainKeys[breakdown.grain])}</option>
          )}
          {grains.map((g) => (
            <option key={g} value={g}>
              {t(grainKeys[g])}
            </option>
          ))}
        </select>
      </label>
      {dimensionSlots.map((slot) => {
        const current = breakdown.dims[slot] ?? '';
        const taken = breakdown.dims.filter((_d, i) => i !== slot);
        return (
          <label key={slot}>
            <span>{t(slot === 0 ? 'kpi.dimension1' : 'kpi.dimension2')}</span>
            <select
              name={`breakdown-${slot + 1}`}
              value={current}
              // A second dimension only refines a first one.
              disabled={slot > 0 && !breakdown.dims[0]}
              onChange={(e) => ask(withDimension(breakdown, slot, e.target.value || undefined))}
            >
              <option value="">{t('kpi.dimension.none')}</option>
              {current && !dims.includes(current) && <option value={current}>{current}</option>}
              {dims
                .filter((d) => !taken.includes(d))
                .map((d) => (
                  <option key={d} value={d}>
                    {pick(labels.dimension(d))}
                  </option>
                ))}
            </select>
          </label>
        );
      })}
    </div>
  );
}

/** What the chosen metric measures and in which unit, under the controls. */
export function MetricNote({ metric }: { metric: MetricInfo | undefined }) {
  const { t, pick } = useI18n();
  if (!metric) return null;
  return (
    <p className="note" data-testid="metric-description">
      {t('kpi.unit')}: {t(unitKeys[metric.unit])} · {pick(metric.description)}
    </p>
  );
}

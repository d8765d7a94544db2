// A KPI answer as an analysis section, so the explorer draws it with the same chart builder and table
// as the analysis pages. Pure: the labels come in as functions, no React here.
//
// Chart: over time (a time grain chosen) a line per value of the dimensions; without a time grain,
// bars along the first dimension with a series per value of the second. With no breakdown at all
// there is one number and no chart (the page shows it as a headline).
import type {
  AnalysisSection,
  Bilingual,
  ChartSpec,
  ResultColumn,
  ResultRow,
} from '../../../src/analysis/analysis-result.ts';
import type { MetricResult } from '../../../src/metrics/query-metric.ts';

export interface SectionLabels {
  /** A time grain's column label (日 / Day). */
  grain(name: string): Bilingual | string;
  dimension(name: string): Bilingual | string;
  value(dimension: string, value: unknown): string;
}

/** The synthetic column that names a series when it combines several dimensions (plan · service). */
const seriesColumn = 'series';
const seriesSeparator = ' · ';

export function kpiResultSection(answer: MetricResult, labels: SectionLabels): AnalysisSection {
  const { grain, dimensions: dims, metric } = answer;
  const columns: ResultColumn[] = [
    ...(grain ? [{ key: grain, label: bilingual(labels.grain(grain)) }] : []),
    ...dims.map((d) => ({ key: d, label: bilingual(labels.dimension(d)) })),
    { key: 'value', label: metric.label, unit: metric.unit },
  ];
  // Over time every dimension splits the lines; without time the first one is the x axis.
  const seriesDims = grain ? dims : dims.slice(1);
  const rows: ResultRow[] = answer.rows.map((row) => {
    const shown: ResultRow = {};
    if (grain) shown[grain] = cell(row[grain]);
    for (const d of dims) shown[d] = labels.value(d, row[d]);
    shown.value = typeof row.value === 'number' ? row.value : row.value === null ? null : Number(row.value);
    if (seriesDims.length > 1) shown[seriesColumn] = seriesDims.map((d) => shown[d]).join(seriesSeparator);
    return shown;
  });
  return {
    id: `kpi-${metric.name}`,
    title: metric.label,
    columns,
    rows,
    chart: chartSpec(grain, dims, seriesDims),
  };
}

function chartSpec(
  grain: string | null,
  dims: readonly string[],
  seriesDims: readonly string[],
): ChartSpec | undefined {
  const x = grain ?? dims[0];
  if (!x) return undefined;
  const by = seriesDims.length > 1 ? seriesColumn : seriesDims[0];
  const kind = grain ? 'line' : 'bar';
  return by ? { kind, x, by, value: 'value' } : { kind, x, values: ['value'] };
}

/** Labels from the i18n catalogue are plain strings already in the current language; the section wants both. */
function bilingual(label: Bilingual | string): Bilingual {
  return typeof label === 'string' ? { zh: label, en: label } : label;
}

function cell(value: unknown): string | number | null {
  return value === null || value === undefined ? null : typeof value === 'number' ? value : String(value);
}

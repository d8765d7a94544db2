// Pure builder: an analysis section's ChartSpec + rows -> an ECharts option. No DOM, easy to test.
import type { AnalysisSection, ResultColumn, ResultRow, Unit } from '../../../src/analysis/analysis-result.ts';
import type { Lang } from '../i18n/index.ts';
import { formatAxisValue, formatNumber } from '../i18n/index.ts';
import type { ChartOption } from './chart.tsx';

/** Opacity of a period the range cuts (it holds fewer days than the others). */
const PARTIAL_OPACITY = 0.4;

export function buildChartOption(
  section: AnalysisSection,
  lang: Lang,
  labelValue: (column: string, value: unknown, labels?: ResultColumn) => string = (_c, v) =>
    v === null || v === undefined ? '' : String(v),
): ChartOption | null {
  const spec = section.chart;
  if (!spec || section.rows.length === 0) return null;
  const label = (key: string) => {
    const column = section.columns.find((c) => c.key === key);
    return column ? column.label[lang] : key;
  };
  const unitOf = (key: string | undefined): Unit | undefined => section.columns.find((c) => c.key === key)?.unit;
  const format = (unit: Unit | undefined) => (value: number) => formatNumber(value, unit, lang);
  const axisFormat = (unit: Unit | undefined) => (value: number) => formatAxisValue(value, unit, lang);
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const shown = (key: string, value: unknown) =>
    labelValue(
      key,
      value,
      section.columns.find((c) => c.key === key),
    );

  if (spec.kind === 'pie') {
    const valueKey = spec.value ?? spec.values?.[0] ?? '';
    return {
      tooltip: { trigger: 'item', valueFormatter: format(unitOf(valueKey)) },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['40%', '50%'],
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          // One decimal, as the table beside it shows the shares.
          label: {
            formatter: (p: { name: string; percent?: number }) =>
              `${p.name}: ${(p.percent ?? 0).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`,
          },
          data: section.rows.map((r) => ({ name: shown(spec.x, r[spec.x]), value: r[valueKey] })),
        },
      ],
    };
  }

  if (spec.kind === 'heatmap') {
    const valueKey = spec.value ?? '';
    const xs = unique(section.rows.map((r) => text(r[spec.x])));
    const ys = unique(section.rows.map((r) => text(r[spec.y ?? ''])));
    const values = section.rows.map((r) => Number(r[valueKey] ?? 0));
    const xNames = xs.map((x) => shown(spec.x, x));
    const yNames = ys.map((y) => shown(spec.y ?? '', y));
    // Every x label shown (slanted when long), and the colour legend below them, never over the axis.
    const longest = Math.max(0, ...xNames.map((n) => n.length));
    const slant = xNames.length > 6 || longest > 5;
    const labelDepth = slant ? Math.min(120, 14 + longest * 7) : 24;
    const min = Math.min(...values);
    const max = Math.max(...values);
    return {
      tooltip: { position: 'top', valueFormatter: format(unitOf(valueKey)) },
      grid: {
        left: Math.min(160, 16 + Math.max(0, ...yNames.map((n) => n.length)) * 12),
        right: 24,
        top: 16,
        bottom: labelDepth + 56,
      },
      xAxis: {
        type: 'category',
        data: xNames,
        splitArea: { show: true },
        axisLabel: { interval: 0, rotate: slant ? 35 : 0 },
      },
      yAxis: { type: 'category', data: yNames, splitArea: { show: true }, axisLabel: { interval: 0 } },
      visualMap: {
        min,
        // A flat map (every cell alike) still needs a range for the legend to read sensibly.
        max: max > min ? max : min + (Math.abs(min) || 1),
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 4,
        itemHeight: 120,
        precision: unitOf(valueKey) === 'ratio' ? 3 : 0,
        formatter: (value: number) => format(unitOf(valueKey))(value),
        inRange: { color: ['#eff6ff', '#1d4ed8'] },
      },
      series: [
        {
          type: 'heatmap',
          name: label(valueKey),
          data: section.rows.map((r) => [xs.indexOf(text(r[spec.x])), ys.indexOf(text(r[spec.y ?? ''])), r[valueKey]]),
        },
      ],
    };
  }

  // Category/time axis with one or more series.
  const xs = unique(section.rows.map((r) => text(r[spec.x])));
  const series: { name: string; key: string; data: (number | null)[] }[] = [];
  if (spec.by && spec.value) {
    const byValues = unique(section.rows.map((r) => text(r[spec.by!])));
    const index = new Map<string, ResultRow>();
    for (const row of section.rows) index.set(`${text(row[spec.x])}\u0000${text(row[spec.by])}`, row);
    for (const b of byValues) {
      series.push({
        name: shown(spec.by, b),
        key: spec.value,
        data: xs.map((x) => numberOrNull(index.get(`${x}\u0000${b}`)?.[spec.value!])),
      });
    }
  } else {
    const byX = new Map(section.rows.map((r) => [text(r[spec.x]), r]));
    for (const key of spec.values ?? []) {
      series.push({ name: label(key), key, data: xs.map((x) => numberOrNull(byX.get(x)?.[key])) });
    }
  }
  const right = new Set(spec.rightAxis ?? []);
  const leftUnit = unitOf(series.find((s) => !right.has(s.key))?.key);
  const rightUnit = unitOf([...right][0]);
  // Ticks as round numbers with the unit's sign; counts never get a half tick.
  const valueAxis = (unit: Unit | undefined) => ({
    type: 'value' as const,
    axisLabel: { formatter: axisFormat(unit) },
    ...(unit === 'count' ? { minInterval: 1 } : {}),
    splitLine: { lineStyle: { color: '#eef2f7' } },
  });
  const partial = new Set(spec.partial ?? []);
  const point = (x: string, value: number | null) =>
    partial.has(x) ? { value, itemStyle: { opacity: PARTIAL_OPACITY } } : value;
  const horizontal = spec.horizontal === true;
  const names = xs.map((x) => shown(spec.x, x));
  // Up to 12 long names (plan names, 全球通商旅128元套餐) are slanted rather than every other one hidden.
  const slanted = !horizontal && names.length > 6 && names.length <= 12 && names.some((n) => n.length > 6);
  const categoryAxis = {
    type: 'category' as const,
    data: names,
    axisLabel: slanted
      ? { interval: 0, rotate: 30 }
      : names.length <= 12 && !horizontal
        ? { interval: 0, hideOverlap: true }
        : { hideOverlap: true },
  };
  const isLine = spec.kind === 'line';
  return {
    tooltip: { trigger: 'axis', confine: true },
    legend: { type: 'scroll', top: 0 },
    grid: {
      left: horizontal ? 110 : 56,
      right: right.size > 0 ? 56 : 24,
      top: 36,
      bottom: slanted ? 24 + 5.5 * Math.max(...names.map((n) => n.length)) : 28,
      containLabel: false,
    },
    xAxis: horizontal ? valueAxis(leftUnit) : categoryAxis,
    yAxis: horizontal
      ? { ...categoryAxis, inverse: true }
      : right.size > 0
        ? [valueAxis(leftUnit), { ...valueAxis(rightUnit), splitLine: { show: false } }]
        : valueAxis(leftUnit),
    series: series.map((s, i) => ({
      type: isLine ? 'line' : 'bar',
      name: s.name,
      data: partial.size > 0 ? s.data.map((value, index) => point(xs[index] ?? '', value)) : s.data,
      showSymbol: isLine && xs.length <= 40,
      smooth: false,
      stack: spec.kind === 'stacked-bar' ? 'total' : undefined,
      yAxisIndex: right.has(s.key) ? 1 : 0,
      barMaxWidth: 36,
      tooltip: { valueFormatter: format(unitOf(s.key)) },
      markLine:
        i === 0 && spec.markX
          ? {
              symbol: 'none',
              silent: true,
              lineStyle: { color: '#dc2626', type: 'dashed' },
              data: [{ xAxis: spec.markX }],
            }
          : undefined,
    })),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : value === null || value === undefined ? null : Number(value);
}

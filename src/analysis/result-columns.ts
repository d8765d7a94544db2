// Columns of a result and the words shown for the values they hold. Values stay codes in the rows (a
// drill-down or a filter needs them); a column says which dimension of the catalogue labels them, or
// carries the labels of its own coded values, so no page shows a raw code.
import type { AttributeDimension } from '../metrics/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { Bilingual, ResultColumn, Unit } from './analysis-result.ts';
import { partialPeriods } from './date-ranges.ts';

export function column(
  key: string,
  zh: string,
  en: string,
  unit?: Unit,
  values?: { dimension?: AttributeDimension; labels?: Readonly<Record<string, Bilingual>> },
): ResultColumn {
  return {
    key,
    label: { zh, en },
    ...(unit ? { unit } : {}),
    ...(values?.dimension ? { dimension: values.dimension } : {}),
    ...(values?.labels ? { values: values.labels } : {}),
  };
}

export function text(zh: string, en: string): Bilingual {
  return { zh, en };
}

/**
 * The period column of a trend by the context's grain: a week or month that the range cuts is labelled
 * with the first day inside the range and its number of days ("2026-03-01 起 (3 天)"), so a short
 * bucket is read as short, not as a collapse.
 */
export function periodColumn(context: AnalysisContext, periods: readonly string[], key = 'period'): ResultColumn {
  const labels: Record<string, Bilingual> = {};
  for (const p of partialPeriods(context.grain, periods, context.from, context.to)) {
    labels[p.period] = {
      zh: `${p.firstDay} 起(${p.days}/${p.of} 天)`,
      en: `${p.firstDay} on (${p.days} of ${p.of} days)`,
    };
  }
  return column(key, '时间', 'period', undefined, { labels });
}

/** The periods a range cuts, for the chart to draw them lighter; none at day grain. */
export function partialPeriodKeys(context: AnalysisContext, periods: readonly string[]): string[] {
  return partialPeriods(context.grain, periods, context.from, context.to).map((p) => p.period);
}

/** A note naming the cut buckets, or undefined when the range holds whole buckets only. */
export function partialPeriodNote(context: AnalysisContext, periods: readonly string[]): Bilingual | undefined {
  const cut = partialPeriods(context.grain, periods, context.from, context.to);
  if (cut.length === 0) return undefined;
  const unit = context.grain === 'week' ? { zh: '周', en: 'week' } : { zh: '月', en: 'month' };
  return {
    zh: `浅色为不完整的${unit.zh}(所选日期范围只含其中几天):${cut.map((p) => `${p.firstDay} 起 ${p.days} 天`).join(',')}`,
    en: `Lighter: a ${unit.en} the chosen range cuts (only some of its days are in it): ${cut.map((p) => `${p.days} days from ${p.firstDay}`).join(', ')}`,
  };
}

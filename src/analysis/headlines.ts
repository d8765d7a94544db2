// Headline cards: a figure a marketer can quote, its definition, and its change against a stated
// comparison period — the previous period of equal length for daily figures, the previous billed
// months for bills — as a relative change for counts and money, in percentage points for rates, and
// as a plain difference for a figure that can change sign.
import { factSources, type Formula, type MetricDefinition, metricsByName } from '../metrics/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { Bilingual, Headline, Unit } from './analysis-result.ts';
import { addYears, previousMonths, previousRange } from './date-ranges.ts';
import { metricRows } from './metric-rows.ts';
import { num, relativeChange } from './result-values.ts';

export interface HeadlineSpec {
  key: string;
  metric: string;
  unit: Unit;
  /** Instead of the metric's own label and description (a figure derived from it). */
  label?: Bilingual;
  definition?: Bilingual;
  /** Divides by this metric's value over the same period (e.g. cancellations per subscription held). */
  per?: string;
  /** A figure that can change sign: its change is the difference, never a percentage. */
  signed?: boolean;
}

export async function headlines(context: AnalysisContext, specs: readonly HeadlineSpec[]): Promise<Headline[]> {
  return Promise.all(specs.map((spec) => headline(context, spec)));
}

async function headline(context: AnalysisContext, spec: HeadlineSpec): Promise<Headline> {
  const metric = metricsByName.get(spec.metric)!;
  const monthly = isMonthly(metric);
  const previous = monthly ? previousMonths(context.from, context.to) : previousRange(context.from, context.to);
  const yearAgo = { from: addYears(context.from, -1), to: addYears(context.to, -1) };
  // Bills are asked for whatever month: a month without bills simply has no figure.
  const loaded = (range: { from: string; to: string }) => monthly || range.from >= context.firstDay;
  const [current, before, lastYear] = await Promise.all([
    figure(context, spec, context),
    loaded(previous) ? figure(context, spec, previous) : Promise.resolve(null),
    loaded(yearAgo) ? figure(context, spec, yearAgo) : Promise.resolve(null),
  ]);
  const changeKind = spec.signed ? 'difference' : spec.unit === 'ratio' ? 'points' : 'relative';
  const changeFrom = (base: number | null) =>
    current === null || base === null
      ? null
      : changeKind === 'relative'
        ? relativeChange(current, base)
        : current - base;
  const change = changeFrom(before);
  const yearChange = changeFrom(lastYear);
  return {
    key: spec.key,
    label: spec.label ?? metric.label,
    definition: spec.definition ?? metric.description,
    value: current,
    unit: spec.unit,
    change,
    changeKind,
    ...(metric.better ? { better: metric.better } : {}),
    comparison: change !== null ? comparedWith(previous, monthly) : noComparison(context, previous, monthly),
    ...(yearChange !== null
      ? {
          yearOnYear: {
            change: yearChange,
            comparison: {
              zh: `同比 ${period(yearAgo, monthly, '至')}`,
              en: `year on year, against ${period(yearAgo, monthly, 'to')}`,
            },
          },
        }
      : {}),
  };
}

/** "2026-02" or "2026-01 至 2026-02" for bills, "2026-03-01 至 2026-03-07" otherwise. */
function period(range: { from: string; to: string }, monthly: boolean, to: string): string {
  const [a, b] = monthly ? [range.from.slice(0, 7), range.to.slice(0, 7)] : [range.from, range.to];
  return a === b ? a : `${a} ${to} ${b}`;
}

function comparedWith(previous: { from: string; to: string }, monthly: boolean): Bilingual {
  return monthly
    ? {
        zh: `对比上期账单月 ${period(previous, true, '至')}`,
        en: `against the billed month(s) ${period(previous, true, 'to')}`,
      }
    : {
        zh: `对比上一同长度时段 ${period(previous, false, '至')}`,
        en: `against the previous period of equal length, ${period(previous, false, 'to')}`,
      };
}

function noComparison(context: AnalysisContext, previous: { from: string; to: string }, monthly: boolean): Bilingual {
  if (monthly)
    return {
      zh: '无对比:仓库中没有上期账单月',
      en: 'no comparison: the previous billed month is not in the warehouse',
    };
  if (previous.from < context.firstDay) {
    return {
      zh: `无对比:仓库数据始于 ${context.firstDay},之前没有同长度时段`,
      en: `no comparison: the warehouse begins on ${context.firstDay}, no equal period before it`,
    };
  }
  return {
    zh: `无对比:上一同长度时段 ${period(previous, false, '至')} 没有数据`,
    en: `no comparison: no data in the previous period, ${period(previous, false, 'to')}`,
  };
}

async function figure(
  context: AnalysisContext,
  spec: HeadlineSpec,
  range: { from: string; to: string },
): Promise<number | null> {
  const [[row], [per]] = await Promise.all([
    metricRows(context, spec.metric, [], range),
    spec.per ? metricRows(context, spec.per, [], range) : Promise.resolve([{ value: 1 }]),
  ]);
  const value = num(row?.value);
  const divisor = num(per?.value);
  if (value === null || !divisor) return null;
  return value / divisor;
}

/** A figure from bills only (ARPU, revenue): compared month against month. */
function isMonthly(metric: MetricDefinition): boolean {
  const sources = (formula: Formula): string[] =>
    formula.op === 'measure' ? [formula.source] : [...sources(formula.left), ...sources(formula.right)];
  const first = metric.variants[0];
  return (
    first !== undefined &&
    sources(first).every((name) => {
      const grains = factSources[name as keyof typeof factSources]?.grains ?? [];
      return grains.length === 1 && grains[0] === 'month';
    })
  );
}

// Headline cards: a figure a marketer can quote, its definition, and its change against a stated
// comparison period — the previous period of equal length for daily figures, the previous billed
// months for bills — as a relative change for counts and money, in percentage points for rates, and
// as a plain difference for a figure that can change sign.
import { factSources, type Formula, type MetricDefinition, metricsByName } from '../metrics/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import type { Bilingual, Headline, Unit } from './analysis-result.ts';
import { previousMonths, previousRange } from './date-ranges.ts';
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
  const hasPrevious = monthly || previous.to >= context.firstDay;
  const [current, before] = await Promise.all([
    figure(context, spec, context),
    hasPrevious ? figure(context, spec, previous) : Promise.resolve(null),
  ]);
  const changeKind = spec.signed ? 'difference' : spec.unit === 'ratio' ? 'points' : 'relative';
  const change =
    current === null || before === null
      ? null
      : changeKind === 'relative'
        ? relativeChange(current, before)
        : current - before;
  return {
    key: spec.key,
    label: spec.label ?? metric.label,
    definition: spec.definition ?? metric.description,
    value: current,
    unit: spec.unit,
    change,
    changeKind,
    ...(metric.better ? { better: metric.better } : {}),
    comparison:
      change !== null
        ? monthly
          ? {
              zh: `对比上期账单月 ${previous.from.slice(0, 7)}${previous.to.slice(0, 7) === previous.from.slice(0, 7) ? '' : ` 至 ${previous.to.slice(0, 7)}`}`,
              en: `against the billed month${previous.to.slice(0, 7) === previous.from.slice(0, 7) ? '' : 's'} ${previous.from.slice(0, 7)}${previous.to.slice(0, 7) === previous.from.slice(0, 7) ? '' : ` to ${previous.to.slice(0, 7)}`}`,
            }
          : {
              zh: `对比上一同长度时段 ${previous.from} 至 ${previous.to}`,
              en: `against the previous period of equal length, ${previous.from} to ${previous.to}`,
            }
        : monthly
          ? { zh: '无对比:仓库中没有更早的账单月', en: 'no comparison: no earlier billed month in the warehouse' }
          : {
              zh: `无对比:仓库数据始于 ${context.firstDay},之前没有同长度时段`,
              en: `no comparison: the warehouse begins on ${context.firstDay}, no equal period before it`,
            },
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

// The metric compiler: a metric definition + breakdown + filters + date range -> one parameterised
// SQL query. Pure: it reads no database; the values a filter may take come in as `knownValues`, and
// every problem (unknown dimension, value, date, impossible breakdown) is returned as a value with
// its path, all of them at once, so the CLI and the API can report them together.
import { calendarDateProblem } from '../shared/calendar-date.ts';
import type { SqlParam, WarehouseEngine } from '../warehouse/index.ts';
import { buildClickHouseSql, clickhouseSources } from './compile-metric-clickhouse.ts';
import { type AttributeDimension, isDimensionName, isTimeGrain, type TimeGrain } from './dimensions.ts';
import { type FactSource, factSources, type SourceName } from './fact-sources.ts';
import type { Formula, MetricDefinition, PeriodAggregate } from './metric-definitions.ts';

export interface MetricRequest {
  by?: readonly string[];
  filters?: Readonly<Record<string, readonly string[]>>;
  /** Inclusive day range, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

/** Values a filter on each dimension may take (from the warehouse or fixed lists). */
export type KnownValues = Partial<Record<AttributeDimension, ReadonlySet<string>>>;

export interface MetricProblem {
  path: string;
  message: string;
  hint?: string;
}

export interface CompiledMetric {
  metric: MetricDefinition;
  sql: string;
  params: SqlParam[];
  grain: TimeGrain | undefined;
  dimensions: AttributeDimension[];
  /** Output columns holding the formula's parts, beside `value`. */
  measureColumns: string[];
  sources: SourceName[];
}

export type CompileResult = { ok: true; query: CompiledMetric } | { ok: false; problems: MetricProblem[] };

/**
 * Dimensions a denominator may lack: the subscriber base is the same for every service. Any other
 * dimension must be known to every source of the formula, or a ratio would divide a part by a whole.
 */
const serviceSide: ReadonlySet<AttributeDimension> = new Set(['service', 'service_category']);

/** Whether every source of a formula's leaves can answer by dimension `d`. */
function leavesKnow(leaves: readonly Leaf[], d: AttributeDimension): boolean {
  return leaves.every((leaf) => factSources[leaf.source].dims[d] !== undefined || serviceSide.has(d));
}

interface Leaf {
  source: SourceName;
  measure: string;
  aggregate: PeriodAggregate;
  alias: string;
}

export interface CompileOptions {
  /** The SQL dialect; on ClickHouse only the variants whose sources the cluster has are chosen. */
  engine?: WarehouseEngine;
}

export function compileMetric(
  metric: MetricDefinition,
  request: MetricRequest,
  known: KnownValues,
  options: CompileOptions = {},
): CompileResult {
  const onClickHouse = options.engine === 'clickhouse';
  const problems: MetricProblem[] = [];
  let grain: TimeGrain | undefined;
  const dims: AttributeDimension[] = [];
  for (const [index, name] of (request.by ?? []).entries()) {
    const path = `by[${index}]`;
    if (!isDimensionName(name)) {
      problems.push({
        path,
        message: `unknown dimension "${name}"`,
        hint: `use one of: ${metric.dimensions.join(', ')}`,
      });
    } else if (!metric.dimensions.includes(name)) {
      problems.push({
        path,
        message: `${metric.name} cannot be broken down by ${name}`,
        hint: `${metric.name} allows: ${metric.dimensions.join(', ')}`,
      });
    } else if (isTimeGrain(name)) {
      if (grain) problems.push({ path, message: `only one time grain at a time (${grain} and ${name})` });
      grain = name;
    } else if (dims.includes(name)) {
      problems.push({ path, message: `dimension ${name} is listed twice` });
    } else {
      dims.push(name);
    }
  }

  const filters: [AttributeDimension, readonly string[]][] = [];
  for (const [name, values] of Object.entries(request.filters ?? {})) {
    const path = `filters.${name}`;
    if (!isDimensionName(name)) {
      problems.push({ path, message: `unknown dimension "${name}"` });
      continue;
    }
    if (isTimeGrain(name)) {
      problems.push({ path, message: `filter days with from and to, not with ${name}` });
      continue;
    }
    if (!metric.dimensions.includes(name)) {
      problems.push({ path, message: `${metric.name} cannot be filtered by ${name}` });
      continue;
    }
    if (values.length === 0) {
      problems.push({ path, message: `filter on ${name} has no values` });
      continue;
    }
    const allowed = known[name];
    for (const value of values) {
      if (allowed && !allowed.has(value)) {
        const sample = [...allowed].slice(0, 12).join(', ');
        problems.push({
          path,
          message: `unknown ${name} "${value}"`,
          hint:
            allowed.size > 0
              ? `known values: ${sample}${allowed.size > 12 ? ', …' : ''}`
              : 'the warehouse has none yet',
        });
      }
    }
    filters.push([name, values]);
  }

  for (const key of ['from', 'to'] as const) {
    const value = request[key];
    const problem = value === undefined ? undefined : calendarDateProblem(key, value);
    if (problem) problems.push({ path: key, message: problem });
  }
  if (request.from && request.to && request.from > request.to) {
    problems.push({ path: 'from', message: `from (${request.from}) is after to (${request.to})` });
  }
  if (problems.length > 0) return { ok: false, problems };

  const needed = [...dims, ...filters.map(([name]) => name)];
  const formula = metric.variants.find((variant) => {
    const leaves = collectLeaves(variant);
    const primary = factSources[leaves[0]!.source];
    return (
      needed.every((d) => primary.dims[d] !== undefined) &&
      needed.every((d) => leavesKnow(leaves, d)) &&
      (!grain || leaves.every((leaf) => factSources[leaf.source].grains.includes(grain!)))
    );
  });
  // ClickHouse answers exactly as DuckDB or not at all: the variant DuckDB picks must be carried over
  // (a fallback to another variant could differ, e.g. by the zero rows of holders without orders).
  if (formula && onClickHouse && !collectLeaves(formula).every((leaf) => clickhouseSources.has(leaf.source))) {
    return {
      ok: false,
      problems: [
        {
          path: 'metric',
          message: `${metric.name}${needed.length ? ` by ${needed.join(', ')}` : ''} is not carried to the ClickHouse warehouse yet (it reads ${[...new Set(collectLeaves(formula).map((l) => l.source))].join(', ')})`,
          hint: 'the ClickHouse loader does not build that table yet (docs/scale-out.md); use the DuckDB warehouse',
        },
      ],
    };
  }
  if (!formula) {
    const combination = [...(grain ? [grain] : []), ...needed].join(', ');
    // Which dimensions do go together: those every source of one variant knows.
    const together = metric.variants.map((variant) =>
      metric.dimensions
        .filter((d) => !isTimeGrain(d))
        .filter((d) => leavesKnow(collectLeaves(variant), d))
        .join(', '),
    );
    return {
      ok: false,
      problems: [
        {
          path: 'by',
          message: `${metric.name} cannot combine ${combination}`,
          hint:
            grain === 'day' || grain === 'week'
              ? `${metric.name} may be monthly only: try --by month`
              : `dimensions that go together: ${together.join(' | ')}`,
        },
      ],
    };
  }
  const plan = { grain, dims, filters, from: request.from, to: request.to };
  if (onClickHouse) {
    const leaves = collectLeaves(formula);
    const { sql, params } = buildClickHouseSql(formula, plan, leaves);
    return {
      ok: true,
      query: {
        metric,
        sql,
        params,
        grain,
        dimensions: dims,
        measureColumns: leaves.map((l) => l.alias),
        sources: [...new Set(leaves.map((l) => l.source))],
      },
    };
  }
  return { ok: true, query: buildSql(metric, formula, plan) };
}

interface Plan {
  grain: TimeGrain | undefined;
  dims: AttributeDimension[];
  filters: [AttributeDimension, readonly string[]][];
  from: string | undefined;
  to: string | undefined;
}

function collectLeaves(formula: Formula): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (f: Formula) => {
    if (f.op === 'measure') {
      if (!leaves.some((l) => l.source === f.source && l.measure === f.measure && l.aggregate === f.aggregate)) {
        leaves.push({ source: f.source, measure: f.measure, aggregate: f.aggregate, alias: '' });
      }
    } else {
      walk(f.left);
      walk(f.right);
    }
  };
  walk(formula);
  for (const leaf of leaves) {
    const clash = leaves.some((l) => l !== leaf && l.measure === leaf.measure);
    leaf.alias = clash ? `${leaf.measure}_${leaf.aggregate}` : leaf.measure;
  }
  return leaves;
}

function periodSql(grain: TimeGrain | undefined, day: string): string {
  return grain ? `CAST(date_trunc('${grain}', ${day}) AS DATE)` : `DATE '1970-01-01'`;
}

function buildSql(metric: MetricDefinition, formula: Formula, plan: Plan): CompiledMetric {
  const params: SqlParam[] = [];
  const leaves = collectLeaves(formula);
  const sourceNames = [...new Set(leaves.map((l) => l.source))];
  const range = (day: string, monthly: boolean) => {
    const parts: string[] = [];
    if (plan.from) {
      parts.push(monthly ? `${day} >= date_trunc('month', CAST(? AS DATE))` : `${day} >= CAST(? AS DATE)`);
      params.push(plan.from);
    }
    if (plan.to) {
      parts.push(`${day} <= CAST(? AS DATE)`);
      params.push(plan.to);
    }
    return parts;
  };

  // The loaded days of the range, grouped into periods, with each period's last day.
  const ctes: string[] = [];
  const dayRange = range('day', false);
  ctes.push(
    `days AS (SELECT DISTINCT day FROM agg_area_day${dayRange.length ? ` WHERE ${dayRange.join(' AND ')}` : ''})`,
    `periods AS (SELECT ${periodSql(plan.grain, 'day')} AS period, max(day) AS last_day, count(*) AS n_days FROM days GROUP BY ALL)`,
  );

  const sourceDims = new Map<SourceName, AttributeDimension[]>();
  for (const [index, name] of sourceNames.entries()) {
    const source: FactSource = factSources[name];
    const own = leaves.filter((l) => l.source === name);
    const dims = plan.dims.filter((d) => source.dims[d] !== undefined);
    sourceDims.set(name, dims);
    const monthly = source.grains.length === 1 && source.grains[0] === 'month';
    const where = range(source.day, monthly);
    for (const [dim, values] of plan.filters) {
      const expr = source.dims[dim];
      if (expr === undefined) continue;
      where.push(`${expr} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
    const dailyMeasures = [...new Set(own.map((l) => l.measure))];
    const select = [
      `${source.day} AS day`,
      ...dims.map((d) => `${source.dims[d]} AS ${d}`),
      ...dailyMeasures.map((m) => `${source.measures[m]} AS ${m}`),
    ];
    ctes.push(
      `s${index}_daily AS (SELECT ${select.join(', ')} FROM ${source.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY ALL)`,
    );
    const periodAggregates = own.map((leaf) => `${periodAggregateSql(leaf)} AS ${leaf.alias}`);
    ctes.push(
      `s${index} AS (SELECT p.period, ${[...dims.map((d) => `d.${d}`), ...periodAggregates].join(', ')} FROM s${index}_daily d JOIN periods p ON p.period = ${periodSql(plan.grain, 'd.day')} GROUP BY ALL)`,
    );
  }

  const columnOf = new Map(leaves.map((l) => [l, `s${sourceNames.indexOf(l.source)}.${l.alias}`]));
  const formulaSql = (f: Formula): string => {
    if (f.op === 'measure') {
      const leaf = leaves.find((l) => l.source === f.source && l.measure === f.measure && l.aggregate === f.aggregate)!;
      return `coalesce(${columnOf.get(leaf)}, 0)`;
    }
    const left = formulaSql(f.left);
    const right = formulaSql(f.right);
    if (f.op === 'ratio') return `CAST(${left} AS DOUBLE) / NULLIF(${right}, 0)`;
    return `(${left} ${f.op === 'minus' ? '-' : '+'} ${right})`;
  };

  const joins = sourceNames.slice(1).map((name, i) => {
    const index = i + 1;
    const on = [`s${index}.period = s0.period`, ...sourceDims.get(name)!.map((d) => `s${index}.${d} = s0.${d}`)];
    return `LEFT JOIN s${index} ON ${on.join(' AND ')}`;
  });
  const output = [
    ...(plan.grain ? [`strftime(s0.period, '%Y-%m-%d') AS ${plan.grain}`] : []),
    ...plan.dims.map((d) => `s0.${d}`),
    `${formulaSql(formula)} AS value`,
    ...leaves.map((l) => `${columnOf.get(l)} AS ${l.alias}`),
  ];
  const order = [...(plan.grain ? ['s0.period'] : []), ...plan.dims.map((d) => `s0.${d}`)];
  const sql = `WITH ${ctes.join(',\n')}\nSELECT ${output.join(', ')} FROM s0 ${joins.join(' ')}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
  return {
    metric,
    sql,
    params,
    grain: plan.grain,
    dimensions: plan.dims,
    measureColumns: leaves.map((l) => l.alias),
    sources: sourceNames,
  };
}

function periodAggregateSql(leaf: Leaf): string {
  switch (leaf.aggregate) {
    case 'sum':
      return `sum(d.${leaf.measure})`;
    case 'last':
      return `coalesce(sum(d.${leaf.measure}) FILTER (WHERE d.day = p.last_day), 0)`;
    case 'daily_avg':
      return `sum(d.${leaf.measure}) / any_value(p.n_days)`;
  }
}

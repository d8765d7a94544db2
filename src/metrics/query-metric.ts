// Runs one KPI: checks the request against the warehouse's known dimension values, compiles it,
// and returns the rows. Problems become one AppError listing all of them.
import { assertCalendarDates } from '../shared/calendar-date.ts';
import { AppError } from '../shared/errors.ts';
import type { QueryWarehouse, WarehouseEngine } from '../warehouse/index.ts';
import { type CompiledMetric, compileMetric, type MetricRequest, type MetricProblem } from './compile-metric.ts';
import { cachedDimensionCatalogue, type DimensionCatalogue, knownValuesOf } from './dimension-catalogue.ts';
import { type MetricDefinition, metricDefinitions, metricsByName } from './metric-definitions.ts';

export interface MetricResult {
  metric: Pick<MetricDefinition, 'name' | 'label' | 'description' | 'unit'>;
  grain: string | null;
  dimensions: string[];
  from: string | null;
  to: string | null;
  rows: Record<string, unknown>[];
}

export function findMetric(name: string): MetricDefinition {
  const metric = metricsByName.get(name);
  if (!metric) {
    throw new AppError('INPUT_INVALID', `unknown metric "${name}"`, {
      location: { field: 'metric' },
      hint: `known metrics: ${metricDefinitions.map((m) => m.name).join(', ')}`,
    });
  }
  return metric;
}

export function problemsToError(problems: readonly MetricProblem[]): AppError {
  const first = problems[0]!;
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new AppError('INPUT_INVALID', message, { location: { path: first.path }, hint: first.hint });
}

/** Compiles or throws: for callers that build many queries against one catalogue. */
export function compileOrThrow(
  metric: MetricDefinition,
  request: MetricRequest,
  catalogue: DimensionCatalogue,
  engine: WarehouseEngine = 'duckdb',
): CompiledMetric {
  const compiled = compileMetric(metric, request, knownValuesOf(catalogue), { engine });
  if (!compiled.ok) throw problemsToError(compiled.problems);
  return compiled.query;
}

export async function queryMetric(
  warehouse: QueryWarehouse,
  name: string,
  request: MetricRequest,
  catalogue?: DimensionCatalogue,
): Promise<MetricResult> {
  const metric = findMetric(name);
  // Checked before the catalogue's query, so a bad day never reaches SQL.
  assertCalendarDates({ from: request.from, to: request.to });
  const known = catalogue ?? (await cachedDimensionCatalogue(warehouse));
  assertHasData(known);
  // As the analyses: without a `to`, up to the last complete day (complete-days.ts), unless `from` is later.
  const complete = known.lastCompleteDay ?? known.lastDay!;
  const to = request.to ?? (request.from && request.from > complete ? known.lastDay! : complete);
  request = { ...request, to };
  const query = compileOrThrow(metric, request, known, warehouse.engine);
  const rows = await warehouse.all(query.sql, query.params);
  return {
    metric: { name: metric.name, label: metric.label, description: metric.description, unit: metric.unit },
    grain: query.grain ?? null,
    dimensions: query.dimensions,
    from: request.from ?? known.firstDay,
    to,
    rows,
  };
}

/** KPIs need loaded days; an empty warehouse gets a clear error instead of empty tables. */
export function assertHasData(catalogue: DimensionCatalogue): void {
  if (catalogue.lastDay === null) {
    throw new AppError('WAREHOUSE_EMPTY', 'the warehouse holds no loaded days yet', {
      hint: 'run `telmark generate --out DIR` and `telmark load DIR` first (or `npm start` for the demo)',
    });
  }
}

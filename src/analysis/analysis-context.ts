// What every analysis receives: the warehouse, the dimension catalogue, and the request resolved
// and checked once (date range defaulting to the loaded days, grain, filters with known values).
import {
  type AttributeDimension,
  compileOrThrow,
  type DimensionCatalogue,
  isDimensionName,
  isTimeGrain,
  knownValuesOf,
  metricsByName,
  type TimeGrain,
} from '../metrics/index.ts';
import { assertHasData } from '../metrics/query-metric.ts';
import { assertCalendarDates } from '../shared/calendar-date.ts';
import { AppError } from '../shared/errors.ts';
import type { SqlParam, Warehouse } from '../warehouse/index.ts';
import type { Bilingual, ResultColumn, ResultRow, Unit } from './analysis-result.ts';

export interface AnalysisRequest {
  from?: string;
  to?: string;
  grain?: string;
  /** A date inside the range: the effect view compares before and after it. */
  cutover?: string;
  filters?: Readonly<Record<string, readonly string[]>>;
  /** The area view: a stored geofence to show. */
  geofence?: string;
  /** The area view: which fields to show (present, brands, callers); all when absent. */
  fields?: readonly string[];
}

export interface AnalysisContext {
  warehouse: Warehouse;
  catalogue: DimensionCatalogue;
  from: string;
  to: string;
  firstDay: string;
  lastDay: string;
  grain: TimeGrain;
  cutover: string | undefined;
  filters: Partial<Record<AttributeDimension, readonly string[]>>;
  geofence: string | undefined;
  fields: readonly string[] | undefined;
}

export function resolveContext(
  warehouse: Warehouse,
  catalogue: DimensionCatalogue,
  request: AnalysisRequest,
  options: { allowedFilters: readonly AttributeDimension[]; defaultGrain: TimeGrain },
): AnalysisContext {
  // An impossible day is refused, never clamped to the loaded range.
  assertCalendarDates({ from: request.from, to: request.to, cutover: request.cutover });
  assertHasData(catalogue);
  const firstDay = catalogue.firstDay!;
  const lastDay = catalogue.lastDay!;
  const from = request.from && request.from > firstDay ? request.from : firstDay;
  const to = request.to && request.to < lastDay ? request.to : lastDay;
  if (from > to) {
    throw new AppError('INPUT_INVALID', `from (${from}) is after to (${to})`, {
      location: { field: 'from' },
      hint: `the warehouse holds ${firstDay} to ${lastDay}`,
    });
  }
  if (request.grain !== undefined && !isTimeGrain(request.grain)) {
    throw new AppError('INPUT_INVALID', `grain must be day, week or month, not "${request.grain}"`, {
      location: { field: 'grain' },
    });
  }
  const known = knownValuesOf(catalogue);
  const filters: Partial<Record<AttributeDimension, readonly string[]>> = {};
  for (const [name, values] of Object.entries(request.filters ?? {})) {
    if (!isDimensionName(name) || isTimeGrain(name) || !options.allowedFilters.includes(name)) {
      throw new AppError('INPUT_INVALID', `this analysis cannot be filtered by ${name}`, {
        location: { field: name },
        hint: `filters here: ${options.allowedFilters.join(', ')}`,
      });
    }
    for (const value of values) {
      if (!known[name]?.has(value)) {
        throw new AppError('INPUT_INVALID', `unknown ${name} "${value}"`, {
          location: { field: name },
          hint: `known values: ${[...(known[name] ?? [])].slice(0, 12).join(', ')}`,
        });
      }
    }
    if (values.length > 0) filters[name] = values;
  }
  return {
    warehouse,
    catalogue,
    from,
    to,
    firstDay,
    lastDay,
    grain: (request.grain as TimeGrain | undefined) ?? options.defaultGrain,
    cutover: request.cutover,
    filters,
    geofence: request.geofence,
    fields: request.fields,
  };
}

/** Runs a KPI with the context's range and the filters the KPI accepts (others do not apply to it). */
export async function metricRows(
  context: AnalysisContext,
  name: string,
  by: readonly string[],
  range: { from: string; to: string } = context,
  extraFilters: Partial<Record<AttributeDimension, readonly string[]>> = {},
): Promise<Record<string, unknown>[]> {
  const metric = metricsByName.get(name)!;
  const filters: Record<string, readonly string[]> = {};
  for (const [dim, values] of Object.entries({ ...context.filters, ...extraFilters })) {
    if (values && metric.dimensions.includes(dim as AttributeDimension)) filters[dim] = values;
  }
  const query = compileOrThrow(metric, { by, filters, from: range.from, to: range.to }, context.catalogue);
  return context.warehouse.all(query.sql, query.params);
}

/** `AND expr IN (?, …)` for each filter the query can apply, given the SQL of each dimension. */
export function filterClause(
  context: AnalysisContext,
  expressions: Partial<Record<AttributeDimension, string>>,
  params: SqlParam[],
): string {
  let sql = '';
  for (const [dim, values] of Object.entries(context.filters) as [AttributeDimension, readonly string[]][]) {
    const expr = expressions[dim];
    if (!expr) continue;
    sql += ` AND ${expr} IN (${values.map(() => '?').join(', ')})`;
    params.push(...values);
  }
  return sql;
}

/** The range of the same length just before [from, to]. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const day = 86_400_000;
  const start = Date.parse(`${from}T00:00:00Z`);
  const length = Date.parse(`${to}T00:00:00Z`) - start + day;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(start - length), to: iso(start - day) };
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function relativeChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) {
    return null;
  }
  return (current - previous) / Math.abs(previous);
}

export function column(key: string, zh: string, en: string, unit?: Unit): ResultColumn {
  return unit ? { key, label: { zh, en }, unit } : { key, label: { zh, en } };
}

export function text(zh: string, en: string): Bilingual {
  return { zh, en };
}

export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Rows narrowed to plain values (numbers, strings, null) for the result. */
export function toResultRows(rows: readonly Record<string, unknown>[]): ResultRow[] {
  return rows.map((row) => {
    const out: ResultRow = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] = typeof value === 'number' || typeof value === 'string' || value === null ? value : String(value);
    }
    return out;
  });
}

/** The area level to show: counties once a region (or county) is chosen, regions otherwise. */
export function areaLevel(context: AnalysisContext): 'region' | 'county' {
  return context.filters.region || context.filters.county ? 'county' : 'region';
}

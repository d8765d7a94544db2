// What every analysis receives: the warehouse, the dimension catalogue, and the request resolved
// and checked once (date range defaulting to the loaded days, grain, filters with known values).
// Running KPIs, filter SQL, dates, columns and values each have their own module beside this one.
import {
  type AttributeDimension,
  type DimensionCatalogue,
  isDimensionName,
  isTimeGrain,
  knownValuesOf,
  type TimeGrain,
} from '../metrics/index.ts';
import { assertHasData } from '../metrics/query-metric.ts';
import { assertCalendarDates } from '../shared/calendar-date.ts';
import { AppError } from '../shared/errors.ts';
import type { QueryWarehouse, Warehouse } from '../warehouse/index.ts';

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
  warehouse: QueryWarehouse;
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
  /**
   * The operational store (the DuckDB file with the outbox) when the facts are on a ClickHouse cluster;
   * absent on DuckDB, where `warehouse` holds both.
   */
  state?: Warehouse;
}

export function resolveContext(
  warehouse: QueryWarehouse,
  catalogue: DimensionCatalogue,
  request: AnalysisRequest,
  options: { allowedFilters: readonly AttributeDimension[]; defaultGrain: TimeGrain },
): AnalysisContext {
  // An impossible day is refused, never clamped to the loaded range.
  assertCalendarDates({ from: request.from, to: request.to, cutover: request.cutover });
  assertHasData(catalogue);
  const firstDay = catalogue.firstDay!;
  const lastDay = catalogue.lastDay!;
  // Without a `to`, the period ends at the last complete day: a day holding only some feeds (the
  // demo campaigns' order files) would show its subscribers as inactive. Asked for, it is served.
  const from = request.from && request.from > firstDay ? request.from : firstDay;
  const complete = catalogue.lastCompleteDay ?? lastDay;
  const defaultTo = from > complete ? lastDay : complete;
  const to = request.to && request.to < lastDay ? request.to : request.to ? lastDay : defaultTo;
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

/** The area level to show: counties once a region (or county) is chosen, regions otherwise. */
export function areaLevel(context: AnalysisContext): 'region' | 'county' {
  return context.filters.region || context.filters.county ? 'county' : 'region';
}

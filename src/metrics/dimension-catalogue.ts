// The values each dimension takes in this warehouse, with display labels: used to validate filter
// values before a query runs, and by the dashboard to fill its filter lists.
import { dataVersion, type QueryWarehouse } from '../warehouse/index.ts';
import type { KnownValues } from './compile-metric.ts';
import { loadCompleteDays } from './complete-days.ts';
import {
  type AttributeDimension,
  attributeDimensions,
  type Bilingual,
  dimensionLabels,
  fixedDimensionValues,
  ivrMenuLabel,
} from './dimensions.ts';
import { dataValueLabel, fixedValueLabels } from './value-labels.ts';

export interface DimensionValue {
  value: string;
  label?: Bilingual;
  /** For a county: its region. */
  parent?: string;
}

export interface DimensionCatalogue {
  firstDay: string | null;
  lastDay: string | null;
  /** The default period's end: the last day every daily feed is loaded for (complete-days.ts). */
  lastCompleteDay: string | null;
  /** Loaded days that miss a feed: queryable, marked where they are shown. */
  incompleteDays: string[];
  dimensions: { name: AttributeDimension; label: Bilingual; values: DimensionValue[] }[];
}

export async function loadDimensionCatalogue(warehouse: QueryWarehouse): Promise<DimensionCatalogue> {
  const onClickHouse = warehouse.engine === 'clickhouse';
  const [range, areas, services, plans, accessCodes, menus, completeness] = await Promise.all([
    onClickHouse
      ? // An empty table's min(day) is 0000-00-00 there, not NULL.
        warehouse.one<{ first_day: string | null; last_day: string | null }>(
          `SELECT if(count() = 0, NULL, toString(min(day))) AS first_day, if(count() = 0, NULL, toString(max(day))) AS last_day FROM agg_area_day`,
        )
      : warehouse.one<{ first_day: string | null; last_day: string | null }>(
          'SELECT CAST(min(day) AS VARCHAR) AS first_day, CAST(max(day) AS VARCHAR) AS last_day FROM agg_area_day',
        ),
    warehouse.all<{ region: string; county: string }>(
      onClickHouse
        ? `SELECT region, county FROM (SELECT DISTINCT region, county FROM agg_area_day UNION ALL SELECT DISTINCT region, county FROM cells) GROUP BY region, county ORDER BY region, county`
        : `SELECT DISTINCT region, county FROM agg_area_day UNION SELECT DISTINCT region, county FROM cells ORDER BY region, county`,
    ),
    warehouse.all<{ service_id: string; name: string }>('SELECT service_id, name FROM services ORDER BY service_id'),
    warehouse.all<{ plan_id: string; name: string }>('SELECT plan_id, name FROM plans ORDER BY plan_id'),
    warehouse.all<{ access_code: string }>('SELECT DISTINCT access_code FROM agg_ivr_area_day ORDER BY access_code'),
    warehouse.all<{ menu: string }>('SELECT DISTINCT menu FROM agg_ivr_menu_hour ORDER BY menu'),
    loadCompleteDays(warehouse),
  ]);
  const fromData: Partial<Record<AttributeDimension, DimensionValue[]>> = {
    region: [...new Set(areas.map((a) => a.region))].map((value) => ({
      value,
      label: dataValueLabel('region', value),
    })),
    county: areas.map((a) => ({ value: a.county, parent: a.region, label: dataValueLabel('county', a.county) })),
    service: services.map((s) => ({ value: s.service_id, label: dataValueLabel('service', s.service_id, s.name) })),
    plan: plans.map((p) => ({ value: p.plan_id, label: dataValueLabel('plan', p.plan_id, p.name) })),
    access_code: accessCodes.map((a) => ({ value: a.access_code })),
    menu: menus.map((m) => ({ value: m.menu, label: ivrMenuLabel(m.menu) })),
  };
  return {
    firstDay: range?.first_day ?? null,
    lastDay: range?.last_day ?? null,
    lastCompleteDay: completeness.lastCompleteDay ?? range?.last_day ?? null,
    incompleteDays: completeness.incompleteDays,
    dimensions: attributeDimensions.map((name) => {
      const fixed = fixedDimensionValues[name];
      const values =
        fromData[name] ?? (fixed ?? []).map((value) => ({ value, label: fixedValueLabels[name]?.[value] }));
      return { name, label: dimensionLabels[name], values: dedupe(values) };
    }),
  };
}

const cached = new WeakMap<QueryWarehouse, { key: string; catalogue: Promise<DimensionCatalogue> }>();

/**
 * The catalogue, reused until the data version changes (a new file, a rebuild): the HTTP server
 * asks for it on every request, and its DISTINCT queries are not free on a large warehouse.
 */
export async function cachedDimensionCatalogue(warehouse: QueryWarehouse): Promise<DimensionCatalogue> {
  const key = await dataVersion(warehouse);
  const hit = cached.get(warehouse);
  if (hit && hit.key === key) return hit.catalogue;
  const catalogue = loadDimensionCatalogue(warehouse);
  cached.set(warehouse, { key, catalogue });
  catalogue.catch(() => cached.delete(warehouse));
  return catalogue;
}

export function knownValuesOf(catalogue: DimensionCatalogue): KnownValues {
  const known: KnownValues = {};
  for (const dimension of catalogue.dimensions) known[dimension.name] = new Set(dimension.values.map((v) => v.value));
  return known;
}

/** A display label for a dimension value, e.g. brand "mzone" -> 动感地带 / M-Zone. */
export function labelOf(catalogue: DimensionCatalogue, name: AttributeDimension, value: string): Bilingual | undefined {
  return catalogue.dimensions.find((d) => d.name === name)?.values.find((v) => v.value === value)?.label;
}

function dedupe(values: DimensionValue[]): DimensionValue[] {
  const byValue = new Map<string, DimensionValue>();
  for (const value of values) if (!byValue.has(value.value)) byValue.set(value.value, value);
  return [...byValue.values()];
}

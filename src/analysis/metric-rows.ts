// One KPI over the analysis's range, with the filters the KPI accepts (others do not apply to it).
import { type AttributeDimension, compileOrThrow, metricsByName } from '../metrics/index.ts';
import type { AnalysisContext } from './analysis-context.ts';

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
  const query = compileOrThrow(
    metric,
    { by, filters, from: range.from, to: range.to },
    context.catalogue,
    context.warehouse.engine,
  );
  return context.warehouse.all(query.sql, query.params);
}

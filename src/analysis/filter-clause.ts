// The analysis's filters as SQL, for the analyses that query aggregates directly (not through a KPI).
import type { AttributeDimension } from '../metrics/index.ts';
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';

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

// The campaigns' stand-in compiler for the audience tree (see check-audience.ts): a SELECT of one
// column `msisdn` over active subscribers, every user value a `?` parameter.
import type { SqlParam } from '../../warehouse/index.ts';
import type { AttributeName } from './check-audience.ts';

export interface CompiledAudience {
  sql: string;
  params: SqlParam[];
}

// Each attribute as an expression over `s` (subscribers); `data_end.day` is the last day of loaded data.
const attributeSql: Record<AttributeName, string> = {
  brand: 's.brand',
  county: 's.county',
  plan: 's.plan_id',
  gender: 's.gender',
  age: '(year(data_end.day) - s.birth_year)',
  tenure_months: "date_diff('month', s.activated_on, data_end.day)",
  arpu: `(SELECT b.total_fee FROM billing b WHERE b.msisdn = s.msisdn ORDER BY b.month DESC LIMIT 1)`,
  area_type: `(SELECT c.area_type FROM signalling g JOIN cells c USING (cell_id) WHERE g.msisdn = s.msisdn
               GROUP BY c.area_type ORDER BY count(*) DESC, c.area_type LIMIT 1)`,
};

export function compileBasicAudience(definition: Record<string, unknown>): CompiledAudience {
  const params: SqlParam[] = [];
  const where = condition(definition, params);
  return {
    sql: `SELECT s.msisdn FROM subscribers s,
            (SELECT coalesce(max(day), current_date) AS day FROM agg_area_day) data_end
          WHERE s.status = 'active' AND (${where})`,
    params,
  };
}

function condition(node: Record<string, unknown>, params: SqlParam[]): string {
  if (Array.isArray(node.all)) {
    const parts = node.all.map((n) => condition(n as Record<string, unknown>, params));
    return parts.length === 0 ? 'TRUE' : parts.map((p) => `(${p})`).join(' AND ');
  }
  if (Array.isArray(node.any)) {
    const parts = node.any.map((n) => condition(n as Record<string, unknown>, params));
    return parts.length === 0 ? 'FALSE' : parts.map((p) => `(${p})`).join(' OR ');
  }
  if (node.not !== undefined) return `NOT coalesce((${condition(node.not as Record<string, unknown>, params)}), FALSE)`;
  const expr = attributeSql[node.attribute as AttributeName];
  if (Array.isArray(node.in)) {
    params.push(...(node.in as (string | number)[]).map(String));
    return `CAST(${expr} AS VARCHAR) IN (${node.in.map(() => '?').join(', ')})`;
  }
  const [low, high] = node.between as [number | null, number | null];
  const parts: string[] = [];
  if (low !== null) {
    params.push(low);
    parts.push(`${expr} >= ?`);
  }
  if (high !== null) {
    params.push(high);
    parts.push(`${expr} < ?`);
  }
  return parts.length === 0 ? `${expr} IS NOT NULL` : parts.join(' AND ');
}

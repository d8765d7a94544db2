// The ClickHouse text of a compiled metric: the same plan as compile-metric.ts's DuckDB query, in SQL
// that ClickHouse 18.16 takes (nested subqueries instead of CTEs, at most one JOIN per SELECT, its
// function names). Only the aggregate tables are read; their Distributed tables sum the shards' rows.
import type { SqlParam } from '../warehouse/index.ts';
import type { AttributeDimension, TimeGrain } from './dimensions.ts';
import { factSources, type SourceName } from './fact-sources.ts';
import type { Formula } from './metric-definitions.ts';

/** The fact sources the ClickHouse loader builds (src/warehouse/clickhouse/clickhouse-aggregates.ts). */
export const clickhouseSources: ReadonlySet<SourceName> = new Set<SourceName>([
  'area_day',
  'area_service_day',
  'channel_service_day',
  'ivr_area_day',
  'cell_hour',
  'sms_area_day',
  'segment_day',
  'billing_month',
]);

/**
 * FROM clauses without table aliases: 18.16 does not resolve `f.x` across a Distributed table's JOIN,
 * so the snapshot's columns are joined in flat (USING) and the sources' expressions lose their
 * qualifiers (unqualified). The snapshots (services, cells) are on every shard, so each joins locally.
 */
const clickhouseFrom: Partial<Record<SourceName, string>> = {
  area_service_day:
    'agg_area_service_day GLOBAL ANY INNER JOIN (SELECT service_id, category FROM services) USING service_id',
  channel_service_day:
    'agg_channel_service_day GLOBAL ANY INNER JOIN (SELECT service_id, category FROM services) USING service_id',
  cell_hour: 'agg_cell_hour GLOBAL ANY INNER JOIN (SELECT cell_id, region, county, area_type FROM cells) USING cell_id',
};

/** A fact source's fixed SQL without its `f.`, `s.` and `c.` qualifiers. */
function unqualified(sql: string): string {
  return sql.replace(/\b[fsc]\./g, '');
}

export interface ClickHouseLeaf {
  source: SourceName;
  measure: string;
  aggregate: 'sum' | 'last' | 'daily_avg';
  alias: string;
}

export interface ClickHousePlan {
  grain: TimeGrain | undefined;
  dims: AttributeDimension[];
  filters: [AttributeDimension, readonly string[]][];
  from: string | undefined;
  to: string | undefined;
}

function periodSql(grain: TimeGrain | undefined, day: string): string {
  if (grain === 'day') return day;
  if (grain === 'week') return `toMonday(${day})`;
  if (grain === 'month') return `toStartOfMonth(${day})`;
  return `toDate('1970-01-01')`;
}

export function buildClickHouseSql(
  formula: Formula,
  plan: ClickHousePlan,
  leaves: readonly ClickHouseLeaf[],
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const sourceNames = [...new Set(leaves.map((l) => l.source))];
  const range = (day: string, monthly: boolean) => {
    const parts: string[] = [];
    if (plan.from) {
      parts.push(monthly ? `${day} >= toStartOfMonth(toDate(?))` : `${day} >= toDate(?)`);
      params.push(plan.from);
    }
    if (plan.to) {
      parts.push(`${day} <= toDate(?)`);
      params.push(plan.to);
    }
    return parts;
  };
  const column = (index: number, leaf: ClickHouseLeaf) => `m${index}_${leaf.alias}`;

  const subqueries: string[] = [];
  const sourceDims: AttributeDimension[][] = [];
  for (const [index, name] of sourceNames.entries()) {
    const source = factSources[name];
    const own = leaves.filter((l) => l.source === name);
    const dims = plan.dims.filter((d) => source.dims[d] !== undefined);
    sourceDims.push(dims);
    const monthly = source.grains.length === 1 && source.grains[0] === 'month';
    const day = unqualified(source.day);
    const where = range(day, monthly);
    for (const [dim, values] of plan.filters) {
      const expr = source.dims[dim] === undefined ? undefined : unqualified(source.dims[dim]!);
      if (expr === undefined) continue;
      where.push(`${expr} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
    const measures = [...new Set(own.map((l) => l.measure))];
    const daily = `SELECT ${[
      `${day} AS day`,
      ...dims.map((d) => `${unqualified(source.dims[d]!)} AS ${d}`),
      ...measures.map((m) => `${unqualified(source.measures[m]!)} AS ${m}`),
    ].join(
      ', ',
    )} FROM ${clickhouseFrom[name] ?? source.from.replace(/ f$/, '')}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY ${['day', ...dims].join(', ')}`;
    // Params of the periods' day range come after this source's in the text. Without a grain there is
    // one period even when no loaded day falls in the range (as DuckDB's GROUP BY ALL over a constant):
    // a month of bills before the first loaded day still has its revenue. A dummy row makes that group
    // (18.16 loses an ungrouped aggregate's row on the right of a JOIN under a GROUP BY).
    const daysWhere = range('day', false);
    const loadedDays = `SELECT DISTINCT day FROM agg_area_day${daysWhere.length ? ` WHERE ${daysWhere.join(' AND ')}` : ''}`;
    const periods = plan.grain
      ? `SELECT ${periodSql(plan.grain, 'day')} AS period, max(day) AS last_day, count() AS n_days FROM (${loadedDays}) GROUP BY period`
      : `SELECT period, max(last_day) AS last_day, sum(n) AS n_days FROM (SELECT ${periodSql(undefined, 'day')} AS period, day AS last_day, toUInt64(1) AS n FROM (${loadedDays}) UNION ALL SELECT ${periodSql(undefined, 'day')}, ${periodSql(undefined, 'day')}, toUInt64(0)) GROUP BY period`;
    const aggregates = own.map((leaf) => `${periodAggregate(leaf)} AS ${column(index, leaf)}`);
    subqueries.push(
      `SELECT ${['period', ...dims, ...aggregates].join(', ')} FROM (SELECT day, ${periodSql(plan.grain, 'day')} AS period, ${[...dims, ...measures].join(', ')} FROM (${daily})) ANY INNER JOIN (${periods}) USING period GROUP BY ${['period', ...dims].join(', ')}`,
    );
  }

  const columnOf = (leaf: ClickHouseLeaf) => column(sourceNames.indexOf(leaf.source), leaf);
  const formulaSql = (f: Formula): string => {
    if (f.op === 'measure') {
      const leaf = leaves.find((l) => l.source === f.source && l.measure === f.measure && l.aggregate === f.aggregate)!;
      return `coalesce(${columnOf(leaf)}, 0)`;
    }
    const left = formulaSql(f.left);
    const right = formulaSql(f.right);
    if (f.op === 'ratio') return `toFloat64(${left}) / nullIf(${right}, 0)`;
    return `(${left} ${f.op === 'minus' ? '-' : '+'} ${right})`;
  };

  // One JOIN per SELECT: a formula over two sources joins them once; more would nest.
  let from = `(${subqueries[0]})`;
  for (let i = 1; i < subqueries.length; i++) {
    const keys = ['period', ...sourceDims[i]!];
    const carried = [
      'period',
      ...plan.dims,
      ...leaves.filter((l) => sourceNames.indexOf(l.source) <= i).map((l) => columnOf(l)),
    ];
    from = `(SELECT ${carried.join(', ')} FROM ${from} ANY LEFT JOIN (${subqueries[i]}) USING ${keys.join(', ')})`;
  }
  const output = [
    ...(plan.grain ? [`toString(period) AS ${plan.grain}`] : []),
    ...plan.dims,
    `${formulaSql(formula)} AS value`,
    ...leaves.map((l) => `${columnOf(l)} AS ${l.alias}`),
  ];
  const order = [...(plan.grain ? ['period'] : []), ...plan.dims];
  const sql = `SELECT ${output.join(', ')} FROM ${from}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
  return { sql, params };
}

function periodAggregate(leaf: ClickHouseLeaf): string {
  switch (leaf.aggregate) {
    case 'sum':
      return `sum(${leaf.measure})`;
    case 'last':
      return `sumIf(${leaf.measure}, day = last_day)`;
    case 'daily_avg':
      return `sum(${leaf.measure}) / any(n_days)`;
  }
}

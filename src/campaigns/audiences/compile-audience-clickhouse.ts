// The audience compiler for a ClickHouse warehouse: the same tree (compile-audience-tree.ts), compiled
// to a WHERE over the cluster's subscriber_facts in ClickHouse 18.16's words. On the facts' own day the
// row's columns answer (attributes, holdings, the 7- and 30-day usage totals); another day is computed
// from the row's dates and, for holdings, from the shard's subscriptions. Cancellations, service use and
// other usage windows read the shard's own per-day tables through `msisdn IN (SELECT … FROM …_local)`:
// a query over the Distributed table runs that subquery on each shard over its own rows, which hold all
// of its subscribers' rows (sharded by msisdn). Every value is a `?` (bound as an escaped literal by
// bindClickHouse), the day a checked date literal; columns come only from the fixed maps below.
// Model scores are read through the cluster's Distributed score tables with GLOBAL IN.
import { AppError } from '../../shared/errors.ts';
import { clickhouseBandSql, clickhouseLiteral } from '../../warehouse/clickhouse/index.ts';
import type { SqlParam } from '../../warehouse/index.ts';
import type { AttributeName, AudienceDefinition, SegmentBand } from './audience-definition.ts';
import {
  type AudienceDialect,
  activityTotalSql,
  betweenSql,
  compileTree,
  scoreSql,
  usageColumn,
} from './compile-audience-tree.ts';

export interface ClickHouseAudienceScope {
  /** The day the audience is taken on (YYYY-MM-DD). */
  day: string;
  /** It is the day subscriber_facts was built for: its columns answer. */
  facts: boolean;
  /**
   * The cluster's database. A shard runs the forwarded query in its connection's default database,
   * so the shard-local tables of the subqueries are named with it.
   */
  database: string;
}

/** Attribute -> column of subscriber_facts; nullable ones (no bill, never seen) are read two-valued. */
const attributeSql: Record<AttributeName, { sql: string; nullable: boolean }> = {
  brand: { sql: 'brand', nullable: false },
  county: { sql: 'county', nullable: false },
  plan: { sql: 'plan_id', nullable: false },
  gender: { sql: 'gender', nullable: false },
  area_type: { sql: 'area_type', nullable: true },
  age: { sql: 'age', nullable: false },
  tenure_months: { sql: 'tenure_months', nullable: false },
  // As DuckDB compares its DECIMAL with a DOUBLE bound: as a double.
  arpu: { sql: 'toFloat64(arpu)', nullable: true },
};

/** Usage windows kept as columns of subscriber_facts (`<measure>_7d`, `<measure>_30d`). */
const factsWindows = new Set([7, 30]);

/** The WHERE over subscriber_facts selecting the audience's active members on the day, and its parameters. */
export function compileAudienceClickHouse(
  tree: AudienceDefinition,
  on: ClickHouseAudienceScope,
): { where: string; params: SqlParam[] } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(on.day))
    throw new AppError('INPUT_INVALID', `asOf "${on.day}" must be a date YYYY-MM-DD`, { location: { field: 'asOf' } });
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(on.database))
    throw new AppError('INPUT_INVALID', `database "${on.database}" must be a plain name`, {
      location: { field: 'warehouse' },
    });
  const day = `toDate(${clickhouseLiteral(on.day)})`;
  const params: SqlParam[] = [];
  const condition = compileTree(
    tree,
    clickhouseDialect(day, on.facts, (table) => `${on.database}.${table}`),
    params,
  );
  const active = on.facts
    ? 'active = 1'
    : `activated_on <= ${day} AND NOT (status IN ('closed', 'suspended') AND status_changed_on <= ${day})`;
  return { where: `${active} AND (${condition})`, params };
}

/** `d`: the day as a date literal; `facts`: it is the facts' own day; `local`: a shard-local table's full name. */
function clickhouseDialect(d: string, facts: boolean, local: (table: string) => string): AudienceDialect {
  const months = `((toYear(${d}) * 12 + toMonth(${d})) - (toYear(activated_on) * 12 + toMonth(activated_on)))`;
  const dated: Partial<Record<AttributeName, { sql: string; nullable: boolean }>> = {
    age: { sql: `toInt32(toYear(${d}) - birth_year)`, nullable: false },
    tenure_months: { sql: `toInt32${months}`, nullable: false },
  };
  const bandDay = facts ? 'as_of' : d;
  const segmentSql: Record<SegmentBand, { sql: string; nullable: boolean }> = {
    age_band: { sql: `(${clickhouseBandSql.age('birth_year', bandDay)})`, nullable: false },
    tenure_band: { sql: `(${clickhouseBandSql.tenure('activated_on', bandDay)})`, nullable: false },
    arpu_band: { sql: `(${clickhouseBandSql.arpu('toFloat64(arpu)')})`, nullable: true },
  };
  // The last N days up to the day: (day - N, day].
  const window = (params: SqlParam[], withinDays: number) => {
    params.push(withinDays);
    return `day > subtractDays(${d}, ?) AND day <= ${d}`;
  };
  const dialect: AudienceDialect = {
    always: '1',
    never: '0',
    emptyRange: '1',
    // Two-valued, as DuckDB's coalesce(…, FALSE).
    known: (sql, nullable) => (nullable ? `ifNull(${sql}, 0)` : sql),
    rangeOperand: (sql) => `(${sql})`,
    attribute: (name) => (facts ? attributeSql[name] : (dated[name] ?? attributeSql[name])),
    segment: (band) => segmentSql[band],
    held(service, holds, params) {
      params.push(service);
      if (facts) return holds ? 'has(held_services, ?)' : 'NOT has(held_services, ?)';
      // An open spell's end is NULL: `ended_on > day` is then NULL, read as true.
      return `msisdn ${holds ? 'IN' : 'NOT IN'} (SELECT msisdn FROM ${local('subscriptions_local')}
        WHERE service_id = ? AND started_on <= ${d} AND ifNull(ended_on > ${d}, 1))`;
    },
    cancelled(leaf, params) {
      // Ended within the last N days; an open spell (NULL end) did not.
      params.push(leaf.cancelled, leaf.withinDays);
      return `msisdn IN (SELECT msisdn FROM ${local('subscriptions_local')} WHERE service_id = ?
        AND ifNull(ended_on > subtractDays(${d}, ?) AND ended_on <= ${d}, 0))`;
    },
    uses(leaf, params) {
      params.push(leaf.uses);
      const within = window(params, leaf.withinDays);
      params.push(leaf.atLeast ?? 1);
      return `msisdn IN (SELECT msisdn FROM ${local('agg_subscriber_service_day_local')} WHERE service_id = ? AND ${within}
        GROUP BY msisdn HAVING sum(usage_events) >= ?)`;
    },
    usage(leaf, params) {
      const column = usageColumn[leaf.usage];
      if (facts && factsWindows.has(leaf.withinDays))
        return betweenSql(`${column}_${leaf.withinDays}d`, leaf.between, params, dialect);
      const totals = {
        subject: 'msisdn',
        table: local('subscriber_usage_day_local'),
        window: (windowParams: SqlParam[]) => window(windowParams, leaf.withinDays),
      };
      return activityTotalSql(totals, column, leaf.between, params, dialect);
    },
    // The scores live on their subscribers' shards (clickhouse-mining-tables.ts), but a top N is over
    // every shard: the numbers selected are taken once through the Distributed table and sent to each
    // shard with GLOBAL IN (the cost: those numbers cross the network once per shard).
    score: (leaf, params) => scoreSql(leaf, 'msisdn GLOBAL IN', params),
  };
  return dialect;
}

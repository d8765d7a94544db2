// The audience compiler for a ClickHouse warehouse: the same tree, compiled to a WHERE over the
// cluster's subscriber_facts (one row per subscriber as of the data's last day, built per shard by
// src/warehouse/clickhouse/clickhouse-subscriber-facts.ts), in ClickHouse 18.16's words. Every value is
// a `?` (bound as an escaped literal by bindClickHouse); columns come only from the fixed maps below.
// Conditions whose facts are not on the cluster (usage windows, cancellations, service use, model
// scores) and other days than the facts' refuse with WAREHOUSE_UNSUPPORTED instead of selecting
// another audience than DuckDB would.
import { AppError } from '../../shared/errors.ts';
import { clickhouseBandSql, notOnClickHouse } from '../../warehouse/clickhouse/index.ts';
import type { SqlParam } from '../../warehouse/index.ts';
import type { AttributeName, AudienceDefinition, AudienceLeaf, ScoreLeaf, SegmentBand } from './audience-definition.ts';
import { parseAudienceDefinition } from './parse-audience-definition.ts';

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

const segmentSql: Record<SegmentBand, { sql: string; nullable: boolean }> = {
  age_band: { sql: clickhouseBandSql.age('birth_year', 'as_of'), nullable: false },
  tenure_band: { sql: clickhouseBandSql.tenure('activated_on', 'as_of'), nullable: false },
  arpu_band: { sql: clickhouseBandSql.arpu('toFloat64(arpu)'), nullable: true },
};

/** The WHERE over subscriber_facts selecting the audience's active members, and its parameters. */
export function compileAudienceClickHouse(definition: unknown): { where: string; params: SqlParam[] } {
  const tree = parseAudienceDefinition(definition);
  const params: SqlParam[] = [];
  const condition = compileNode(tree, params);
  return { where: `active = 1 AND (${condition})`, params };
}

/** Only the facts' own day is carried: an audience of an earlier day needs the detail windows. */
export function assertFactsDay(asOf: string | undefined, factsDay: string): void {
  if (asOf === undefined || asOf === factsDay) return;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new AppError('INPUT_INVALID', `asOf "${asOf}" must be a date YYYY-MM-DD`, { location: { field: 'asOf' } });
  throw notOnClickHouse(`an audience as of ${asOf} (the facts are of ${factsDay})`);
}

function compileNode(node: AudienceDefinition, params: SqlParam[]): string {
  if ('all' in node)
    return node.all.length === 0 ? '1' : node.all.map((n) => `(${compileNode(n, params)})`).join(' AND ');
  if ('any' in node) return node.any.map((n) => `(${compileNode(n, params)})`).join(' OR ');
  if ('not' in node) return `NOT (${compileNode(node.not, params)})`;
  return compileLeaf(node, params);
}

function placeholders(values: readonly SqlParam[], params: SqlParam[]): string {
  params.push(...values);
  return values.map(() => '?').join(', ');
}

/** Two-valued, as DuckDB's coalesce(…, FALSE): a NULL (no bill, never seen) is "not in the set". */
function known(sql: string, nullable: boolean): string {
  return nullable ? `ifNull(${sql}, 0)` : sql;
}

function betweenSql(expr: string, [low, high]: readonly [number | null, number | null], params: SqlParam[]): string {
  const parts: string[] = [];
  if (low !== null) {
    params.push(low);
    parts.push(`${expr} >= ?`);
  }
  if (high !== null) {
    params.push(high);
    parts.push(`${expr} < ?`);
  }
  return parts.length === 0 ? '1' : parts.join(' AND ');
}

function held(service: string, holds: boolean, params: SqlParam[]): string {
  params.push(service);
  return holds ? 'has(held_services, ?)' : 'NOT has(held_services, ?)';
}

function compileLeaf(leaf: AudienceLeaf, params: SqlParam[]): string {
  if ('attribute' in leaf) {
    const { sql, nullable } = attributeSql[leaf.attribute];
    if ('in' in leaf) return known(`${sql} IN (${placeholders(leaf.in, params)})`, nullable);
    return known(`(${betweenSql(sql, leaf.between, params)})`, nullable);
  }
  if ('holds' in leaf) return held(leaf.holds, true, params);
  if ('lacks' in leaf) return held(leaf.lacks, false, params);
  if ('segment' in leaf) {
    const { sql, nullable } = segmentSql[leaf.segment];
    return known(`(${sql}) IN (${placeholders(leaf.in, params)})`, nullable);
  }
  if ('rule' in leaf) {
    const parts = [
      ...leaf.rule.lhs.map((service) => held(service, true, params)),
      ...leaf.rule.rhs.map((service) => held(service, false, params)),
    ];
    return parts.join(' AND ');
  }
  if ('score' in leaf) return scoreCondition(leaf, params);
  const kind = 'usage' in leaf ? 'usage' : 'cancelled' in leaf ? 'cancelled' : 'uses' in leaf ? 'uses' : 'score';
  throw notOnClickHouse(`an audience condition on "${kind}"`);
}

/**
 * Model scores, as DuckDB's: the scores of one stored version at or above a value, or its top N. The
 * scores live on their subscribers' shards (clickhouse-mining-tables.ts); the numbers selected are taken
 * once through the Distributed table (a top N over every shard, ties by number as on DuckDB) and sent to
 * each shard with GLOBAL IN. A plain IN over the shards' `_local` tables would keep them there, but a
 * remote shard resolves a subquery's table in its default database, not the cluster's, and the compiler
 * does not know the database name; the cost is the selected numbers crossing the network once per shard.
 */
function scoreCondition(leaf: ScoreLeaf, params: SqlParam[]): string {
  const table = leaf.score === 'churn' ? 'mining_churn_scores' : 'mining_propensity_scores';
  params.push(leaf.modelVersion);
  let where = 'model_version = ?';
  if (leaf.service !== undefined) {
    params.push(leaf.service);
    where += ' AND service_id = ?';
  }
  if (leaf.top !== undefined) {
    params.push(leaf.top);
    return `msisdn GLOBAL IN (SELECT msisdn FROM ${table} WHERE ${where} ORDER BY score DESC, msisdn LIMIT ?)`;
  }
  params.push(leaf.atLeast ?? 0);
  return `msisdn GLOBAL IN (SELECT msisdn FROM ${table} WHERE ${where} AND score >= ?)`;
}

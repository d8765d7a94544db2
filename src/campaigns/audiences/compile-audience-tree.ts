// The audience tree compiled to one condition, for either engine. The combinators, lists, ranges, the
// two-valued reading of nullable facts, the rule and the shape of an activity total are the same on
// DuckDB and ClickHouse; the words that differ (true, false, an empty range, NULL handling) and where
// each kind of fact is read come from an AudienceDialect (compile-audience.ts, compile-audience-clickhouse.ts).
// Every value from the definition becomes a `?` parameter in text order; names come from fixed maps.
import type { SqlParam } from '../../warehouse/index.ts';
import type {
  AttributeName,
  AudienceDefinition,
  AudienceLeaf,
  CancelledLeaf,
  ScoreKind,
  ScoreLeaf,
  SegmentBand,
  UsageLeaf,
  UsageMeasure,
  UsesLeaf,
} from './audience-definition.ts';

export type Range = readonly [number | null, number | null];

/**
 * Usage measure -> its column, the same on both engines: in the per-day activity tables (DuckDB's
 * agg_subscriber_day, ClickHouse's subscriber_usage_day) and, with `_7d`/`_30d`, in subscriber_facts.
 */
export const usageColumn: Record<UsageMeasure, string> = {
  sms_out: 'sms_out',
  calls_out: 'calls_out',
  calls_in: 'calls_in',
  call_seconds: 'call_seconds',
  ivr_calls: 'ivr_calls',
  wap_visits: 'wap_visits',
  vas_events: 'vas_events',
};

export interface AudienceDialect {
  /** What holds for everyone (an empty `all`, an unbounded total). */
  readonly always: string;
  /** What holds for no one. */
  readonly never: string;
  /** A range without bounds. */
  readonly emptyRange: string;
  /** A nullable fact read two-valued: NULL (no bill, never seen) is "not in the set". */
  known(sql: string, nullable: boolean): string;
  /** A range test as the operand of `known`. */
  rangeOperand(sql: string): string;
  attribute(name: AttributeName): { sql: string; nullable: boolean };
  segment(band: SegmentBand): { sql: string; nullable: boolean };
  /** Holds (or lacks) the service at the end of the audience's day. */
  held(service: string, holds: boolean, params: SqlParam[]): string;
  cancelled(leaf: CancelledLeaf, params: SqlParam[]): string;
  uses(leaf: UsesLeaf, params: SqlParam[]): string;
  usage(leaf: UsageLeaf, params: SqlParam[]): string;
  score(leaf: ScoreLeaf, params: SqlParam[]): string;
}

export function compileTree(node: AudienceDefinition, dialect: AudienceDialect, params: SqlParam[]): string {
  if ('all' in node)
    return node.all.length === 0
      ? dialect.always
      : node.all.map((n) => `(${compileTree(n, dialect, params)})`).join(' AND ');
  if ('any' in node) return node.any.map((n) => `(${compileTree(n, dialect, params)})`).join(' OR ');
  if ('not' in node) return `NOT (${compileTree(node.not, dialect, params)})`;
  return compileLeaf(node, dialect, params);
}

export function placeholders(values: readonly SqlParam[], params: SqlParam[]): string {
  params.push(...values);
  return values.map(() => '?').join(', ');
}

/** `expr >= low AND expr < high`, either bound optional. */
export function betweenSql(expr: string, [low, high]: Range, params: SqlParam[], dialect: AudienceDialect): string {
  const parts: string[] = [];
  if (low !== null) {
    params.push(low);
    parts.push(`${expr} >= ?`);
  }
  if (high !== null) {
    params.push(high);
    parts.push(`${expr} < ?`);
  }
  return parts.length === 0 ? dialect.emptyRange : parts.join(' AND ');
}

function compileLeaf(leaf: AudienceLeaf, dialect: AudienceDialect, params: SqlParam[]): string {
  if ('attribute' in leaf) {
    const { sql, nullable } = dialect.attribute(leaf.attribute);
    if ('in' in leaf) return dialect.known(`${sql} IN (${placeholders(leaf.in, params)})`, nullable);
    return dialect.known(dialect.rangeOperand(betweenSql(sql, leaf.between, params, dialect)), nullable);
  }
  if ('holds' in leaf) return dialect.held(leaf.holds, true, params);
  if ('lacks' in leaf) return dialect.held(leaf.lacks, false, params);
  if ('cancelled' in leaf) return dialect.cancelled(leaf, params);
  if ('uses' in leaf) return dialect.uses(leaf, params);
  if ('usage' in leaf) return dialect.usage(leaf, params);
  if ('segment' in leaf) {
    const { sql, nullable } = dialect.segment(leaf.segment);
    return dialect.known(`${sql} IN (${placeholders(leaf.in, params)})`, nullable);
  }
  if ('score' in leaf) return dialect.score(leaf, params);
  // rule: holds every service of the left side, lacks every one of the right
  const holds = leaf.rule.lhs.map((service) => dialect.held(service, true, params));
  const lacks = leaf.rule.rhs.map((service) => dialect.held(service, false, params));
  return [...holds, ...lacks].join(' AND ');
}

/** Where an activity total over a window of days is summed from. */
export interface ActivityTotals {
  /** The subscriber's column in the audience's query (`f.msisdn`, `msisdn`). */
  subject: string;
  /** The table of activity per subscriber and day. */
  table: string;
  /** The window's condition on `day`, pushing its parameters. */
  window(params: SqlParam[]): string;
}

/**
 * An activity total over the last N days between two bounds. Subscribers with no row had no activity
 * (0), so a range that takes 0 is written as "not among those at or above the high bound" to keep them in.
 */
export function activityTotalSql(
  totals: ActivityTotals,
  column: string,
  [low, high]: Range,
  params: SqlParam[],
  dialect: AudienceDialect,
): string {
  if (low === null || low <= 0) {
    if (high === null) return dialect.always;
    if (high <= 0) return dialect.never; // totals are never below 0
    const window = totals.window(params);
    params.push(high);
    return `${totals.subject} NOT IN (SELECT msisdn FROM ${totals.table} WHERE ${window} GROUP BY msisdn HAVING sum(${column}) >= ?)`;
  }
  const window = totals.window(params);
  params.push(low);
  let having = `sum(${column}) >= ?`;
  if (high !== null) {
    params.push(high);
    having += ` AND sum(${column}) < ?`;
  }
  return `${totals.subject} IN (SELECT msisdn FROM ${totals.table} WHERE ${window} GROUP BY msisdn HAVING ${having})`;
}

/** The tables of the models' scores, the same names on both engines (a Distributed table on ClickHouse). */
const scoreTable: Record<ScoreKind, string> = {
  churn: 'mining_churn_scores',
  propensity: 'mining_propensity_scores',
};

/**
 * Model scores: the subscribers whose score in one stored version is at or above a value, or its top N
 * (ties by number). `membership` is how the subscriber is tested against that list (`f.msisdn IN` on
 * DuckDB; `msisdn GLOBAL IN` on ClickHouse, where a top N must be taken over every shard at once).
 */
export function scoreSql(leaf: ScoreLeaf, membership: string, params: SqlParam[]): string {
  const table = scoreTable[leaf.score];
  params.push(leaf.modelVersion);
  let where = 'model_version = ?';
  if (leaf.service !== undefined) {
    params.push(leaf.service);
    where += ' AND service_id = ?';
  }
  if (leaf.top !== undefined) {
    params.push(leaf.top);
    return `${membership} (SELECT msisdn FROM ${table} WHERE ${where} ORDER BY score DESC, msisdn LIMIT ?)`;
  }
  params.push(leaf.atLeast ?? 0);
  return `${membership} (SELECT msisdn FROM ${table} WHERE ${where} AND score >= ?)`;
}

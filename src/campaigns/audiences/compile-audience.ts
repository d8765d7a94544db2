// Compiles an audience tree to one SELECT of `msisdn` over subscriber_facts: one row per subscriber
// active on the audience's day who meets the conditions. Every value from the definition becomes a `?`
// parameter; column and table names come only from the fixed maps below, never from the definition.
import { ageBandSql, arpuBandSql, tenureBandSql } from '../../metrics/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { SqlParam } from '../../warehouse/index.ts';
import type {
  AttributeName,
  AudienceDefinition,
  AudienceLeaf,
  ScoreKind,
  SegmentBand,
  UsageMeasure,
} from './audience-definition.ts';
import { parseAudienceDefinition } from './parse-audience-definition.ts';

export interface CompiledAudience {
  sql: string;
  params: SqlParam[];
}

export interface CompileAudienceOptions {
  /** The day the audience is taken on (YYYY-MM-DD); default the data's last day. */
  asOf?: string;
}

/** The audience's day: a scalar subquery, so each use costs nothing and adds no parameter. */
const DAY = '(SELECT day FROM audience_day)';

/** Attribute -> SQL over subscriber_facts `f`. Nullable ones (no bill, never seen) are marked. */
const attributeSql: Record<AttributeName, { sql: string; nullable: boolean }> = {
  brand: { sql: 'f.brand', nullable: false },
  county: { sql: 'f.county', nullable: false },
  plan: { sql: 'f.plan_id', nullable: false },
  gender: { sql: 'f.gender', nullable: false },
  area_type: { sql: 'f.area_type', nullable: true },
  age: { sql: `(year(${DAY}) - f.birth_year)`, nullable: false },
  tenure_months: { sql: `date_diff('month', f.activated_on, ${DAY})`, nullable: false },
  arpu: { sql: 'f.arpu', nullable: true },
};

const segmentSql: Record<SegmentBand, { sql: string; nullable: boolean }> = {
  age_band: { sql: ageBandSql('f.birth_year', DAY), nullable: false },
  tenure_band: { sql: tenureBandSql('f.activated_on', DAY), nullable: false },
  arpu_band: { sql: arpuBandSql('f.arpu'), nullable: true },
};

const usageColumn: Record<UsageMeasure, string> = {
  sms_out: 'sms_out',
  calls_out: 'calls_out',
  calls_in: 'calls_in',
  call_seconds: 'call_seconds',
  ivr_calls: 'ivr_calls',
  wap_visits: 'wap_visits',
  vas_events: 'vas_events',
};

const scoreTable: Record<ScoreKind, string> = {
  churn: 'mining_churn_scores',
  propensity: 'mining_propensity_scores',
};

const heldSql = `SELECT msisdn FROM subscriptions WHERE service_id = ? AND started_on <= ${DAY} AND (ended_on IS NULL OR ended_on > ${DAY})`;

export function compileAudience(definition: unknown, options: CompileAudienceOptions = {}): CompiledAudience {
  const { head, where, params } = compileAudienceParts(definition, options);
  return { sql: `${head}\nSELECT f.msisdn FROM subscriber_facts f\nWHERE ${where}`, params };
}

/**
 * The pieces of the SELECT (the WITH clause, and the WHERE over subscriber_facts `f`), for queries that
 * want other columns of the audience's rows than msisdn (the preview counts by county and brand).
 */
export function compileAudienceParts(
  definition: unknown,
  options: CompileAudienceOptions = {},
): { head: string; where: string; params: SqlParam[] } {
  const tree = parseAudienceDefinition(definition);
  if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new AppError('INPUT_INVALID', `asOf "${options.asOf}" must be a date YYYY-MM-DD`, {
      location: { field: 'asOf' },
    });
  }
  const params: SqlParam[] = [options.asOf ?? null];
  const condition = compileNode(tree, params);
  return {
    head: 'WITH audience_day AS (SELECT coalesce(CAST(? AS DATE), (SELECT max(as_of) FROM subscriber_facts)) AS day)',
    where: `f.activated_on <= ${DAY} AND NOT (f.status IN ('closed', 'suspended') AND f.status_changed_on <= ${DAY})
  AND (${condition})`,
    params,
  };
}

function compileNode(node: AudienceDefinition, params: SqlParam[]): string {
  if ('all' in node)
    return node.all.length === 0 ? 'TRUE' : node.all.map((n) => `(${compileNode(n, params)})`).join(' AND ');
  if ('any' in node) return node.any.map((n) => `(${compileNode(n, params)})`).join(' OR ');
  if ('not' in node) return `NOT (${compileNode(node.not, params)})`;
  return compileLeaf(node, params);
}

function placeholders(values: readonly SqlParam[], params: SqlParam[]): string {
  params.push(...values);
  return values.map(() => '?').join(', ');
}

/** Two-valued: a NULL (no bill, never seen) is "not in the set", so `not` of it selects that subscriber. */
function known(sql: string, nullable: boolean): string {
  return nullable ? `coalesce(${sql}, FALSE)` : sql;
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
  return parts.join(' AND ');
}

function compileLeaf(leaf: AudienceLeaf, params: SqlParam[]): string {
  if ('attribute' in leaf) {
    const { sql, nullable } = attributeSql[leaf.attribute];
    if ('in' in leaf) return known(`${sql} IN (${placeholders(leaf.in, params)})`, nullable);
    return known(betweenSql(sql, leaf.between, params), nullable);
  }
  if ('holds' in leaf) {
    params.push(leaf.holds);
    return `f.msisdn IN (${heldSql})`;
  }
  if ('lacks' in leaf) {
    params.push(leaf.lacks);
    return `f.msisdn NOT IN (${heldSql})`;
  }
  if ('cancelled' in leaf) {
    params.push(leaf.cancelled, leaf.withinDays);
    return `f.msisdn IN (SELECT msisdn FROM subscriptions WHERE service_id = ? AND ended_on > ${DAY} - CAST(? AS INTEGER) AND ended_on <= ${DAY})`;
  }
  if ('uses' in leaf) {
    params.push(leaf.uses, leaf.withinDays, leaf.atLeast ?? 1);
    return `f.msisdn IN (SELECT msisdn FROM agg_subscriber_service_day WHERE service_id = ? AND day > ${DAY} - CAST(? AS INTEGER) AND day <= ${DAY} GROUP BY msisdn HAVING sum(usage_events) >= ?)`;
  }
  if ('usage' in leaf) return compileUsage(leaf.usage, leaf.withinDays, leaf.between, params);
  if ('segment' in leaf) {
    const { sql, nullable } = segmentSql[leaf.segment];
    return known(`${sql} IN (${placeholders(leaf.in, params)})`, nullable);
  }
  if ('score' in leaf) {
    const table = scoreTable[leaf.score];
    params.push(leaf.modelVersion);
    let where = 'model_version = ?';
    if (leaf.service !== undefined) {
      params.push(leaf.service);
      where += ' AND service_id = ?';
    }
    if (leaf.top !== undefined) {
      params.push(leaf.top);
      return `f.msisdn IN (SELECT msisdn FROM ${table} WHERE ${where} ORDER BY score DESC, msisdn LIMIT ?)`;
    }
    params.push(leaf.atLeast ?? 0);
    return `f.msisdn IN (SELECT msisdn FROM ${table} WHERE ${where} AND score >= ?)`;
  }
  // rule: holds every service of the left side, lacks every one of the right
  const holds = leaf.rule.lhs.map((service) => {
    params.push(service);
    return `f.msisdn IN (${heldSql})`;
  });
  const lacks = leaf.rule.rhs.map((service) => {
    params.push(service);
    return `f.msisdn NOT IN (${heldSql})`;
  });
  return [...holds, ...lacks].join(' AND ');
}

/**
 * An activity total over the last N days. Subscribers with no row had no activity (0), so a range that
 * takes 0 is written as "not among those at or above the high bound" to keep them in.
 */
function compileUsage(
  measure: UsageMeasure,
  withinDays: number,
  [low, high]: readonly [number | null, number | null],
  params: SqlParam[],
): string {
  const column = usageColumn[measure];
  const window = `day > ${DAY} - CAST(? AS INTEGER) AND day <= ${DAY}`;
  if (low === null || low <= 0) {
    if (high === null) return 'TRUE';
    if (high <= 0) return 'FALSE'; // totals are never below 0
    params.push(withinDays, high);
    return `f.msisdn NOT IN (SELECT msisdn FROM agg_subscriber_day WHERE ${window} GROUP BY msisdn HAVING sum(${column}) >= ?)`;
  }
  params.push(withinDays, low);
  let having = `sum(${column}) >= ?`;
  if (high !== null) {
    params.push(high);
    having += ` AND sum(${column}) < ?`;
  }
  return `f.msisdn IN (SELECT msisdn FROM agg_subscriber_day WHERE ${window} GROUP BY msisdn HAVING ${having})`;
}

// Compiles an audience tree to one SELECT of `msisdn` over subscriber_facts: one row per subscriber
// active on the audience's day who meets the conditions. Every value from the definition becomes a `?`
// parameter; column and table names come only from the fixed maps below, never from the definition.
import { ageBandSql, arpuBandSql, tenureBandSql } from '../../metrics/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
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
  /**
   * Without asOf: the day subscriber_facts was computed for (resolveAudienceDay), so subqueries on
   * other tables get it as a parameter instead of reading it with a subquery. Faster, same answer.
   */
  factsDay?: string;
}

/**
 * Where the audience's day goes. The pieces below are written with these markers; bind() turns them
 * into a parameter `CAST(? AS DATE)` (a constant to DuckDB, so date filters are pushed into the scans;
 * a scalar subquery there made nested-loop joins, 20x slower), or, on the data's last day, into the
 * facts row's own `as_of` (DAY, row-level) and the facts' day (SUBDAY, inside subqueries).
 */
const DAY = '\u0001';
const SUBDAY = '\u0002';

/** Usage windows precomputed in subscriber_facts (`<measure>_7d`, `<measure>_30d`) for the data's last day. */
const factsWindows = new Set([7, 30]);

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

const heldSql = `SELECT msisdn FROM subscriptions WHERE service_id = ? AND started_on <= ${SUBDAY} AND (ended_on IS NULL OR ended_on > ${SUBDAY})`;

export function compileAudience(definition: unknown, options: CompileAudienceOptions = {}): CompiledAudience {
  const { where, params } = compileAudienceParts(definition, options);
  return { sql: `SELECT f.msisdn FROM subscriber_facts f\nWHERE ${where}`, params };
}

/**
 * The WHERE over subscriber_facts `f` and its parameters, for queries that want other columns of the
 * audience's rows than msisdn (the preview counts by county and brand). Without `asOf` the day is the
 * data's last day, read by a subquery; with it (resolveAudienceDay) the query is faster.
 */
export function compileAudienceParts(
  definition: unknown,
  options: CompileAudienceOptions = {},
): { where: string; params: SqlParam[] } {
  const tree = parseAudienceDefinition(definition);
  if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new AppError('INPUT_INVALID', `asOf "${options.asOf}" must be a date YYYY-MM-DD`, {
      location: { field: 'asOf' },
    });
  }
  const params: SqlParam[] = [];
  // On the data's last day the facts row holds the holdings and the usual usage windows itself.
  const condition = compileNode(tree, { params, facts: options.asOf === undefined });
  const where = `f.activated_on <= ${DAY} AND NOT (f.status IN ('closed', 'suspended') AND f.status_changed_on <= ${DAY})
  AND (${condition})`;
  return bind(where, params, options);
}

/** Replaces each day marker by its SQL, inserting the day's parameter among the others in text order. */
function bind(
  text: string,
  params: readonly SqlParam[],
  options: CompileAudienceOptions,
): { where: string; params: SqlParam[] } {
  const out: SqlParam[] = [];
  let next = 0;
  let where = '';
  const day = (value: string | undefined, otherwise: string) => {
    if (value === undefined) return otherwise;
    out.push(value);
    return 'CAST(? AS DATE)';
  };
  for (const ch of text) {
    if (ch === '?') {
      out.push(params[next++]!);
      where += ch;
    } else if (ch === DAY) where += day(options.asOf, 'f.as_of');
    else if (ch === SUBDAY) where += day(options.asOf ?? options.factsDay, '(SELECT max(as_of) FROM subscriber_facts)');
    else where += ch;
  }
  return { where, params: out };
}

/** The data's last day (the day subscriber_facts was computed for), or `asOf` when given. */
export async function resolveAudienceDay(warehouse: Warehouse, asOf?: string): Promise<string | undefined> {
  if (asOf !== undefined) return asOf;
  const row = await warehouse.one<{ day: string | null }>(
    'SELECT CAST(max(as_of) AS VARCHAR) AS day FROM subscriber_facts',
  );
  return row?.day ?? undefined;
}

interface Context {
  params: SqlParam[];
  /** The day is the facts' own: read holdings and the usual usage windows from the facts row. */
  facts: boolean;
}

function compileNode(node: AudienceDefinition, ctx: Context): string {
  if ('all' in node)
    return node.all.length === 0 ? 'TRUE' : node.all.map((n) => `(${compileNode(n, ctx)})`).join(' AND ');
  if ('any' in node) return node.any.map((n) => `(${compileNode(n, ctx)})`).join(' OR ');
  if ('not' in node) return `NOT (${compileNode(node.not, ctx)})`;
  return compileLeaf(node, ctx);
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

function compileLeaf(leaf: AudienceLeaf, ctx: Context): string {
  const { params } = ctx;
  if ('attribute' in leaf) {
    const { sql, nullable } = attributeSql[leaf.attribute];
    if ('in' in leaf) return known(`${sql} IN (${placeholders(leaf.in, params)})`, nullable);
    return known(betweenSql(sql, leaf.between, params), nullable);
  }
  if ('holds' in leaf) return heldCondition(leaf.holds, true, ctx);
  if ('lacks' in leaf) return heldCondition(leaf.lacks, false, ctx);
  if ('cancelled' in leaf) {
    params.push(leaf.cancelled, leaf.withinDays);
    return `f.msisdn IN (SELECT msisdn FROM subscriptions WHERE service_id = ? AND ended_on > ${SUBDAY} - CAST(? AS INTEGER) AND ended_on <= ${SUBDAY})`;
  }
  if ('uses' in leaf) {
    params.push(leaf.uses, leaf.withinDays, leaf.atLeast ?? 1);
    return `f.msisdn IN (SELECT msisdn FROM agg_subscriber_service_day WHERE service_id = ? AND day > ${SUBDAY} - CAST(? AS INTEGER) AND day <= ${SUBDAY} GROUP BY msisdn HAVING sum(usage_events) >= ?)`;
  }
  if ('usage' in leaf) {
    if (ctx.facts && factsWindows.has(leaf.withinDays)) {
      return betweenSql(`f.${usageColumn[leaf.usage]}_${leaf.withinDays}d`, leaf.between, params);
    }
    return compileUsage(leaf.usage, leaf.withinDays, leaf.between, params);
  }
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
  const holds = leaf.rule.lhs.map((service) => heldCondition(service, true, ctx));
  const lacks = leaf.rule.rhs.map((service) => heldCondition(service, false, ctx));
  return [...holds, ...lacks].join(' AND ');
}

/** Holds (or lacks) a service at the end of the day: from the facts row's list on the data's last day. */
function heldCondition(service: string, holds: boolean, ctx: Context): string {
  ctx.params.push(service);
  if (ctx.facts) return holds ? 'list_contains(f.held_services, ?)' : 'NOT list_contains(f.held_services, ?)';
  return `f.msisdn ${holds ? 'IN' : 'NOT IN'} (${heldSql})`;
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
  const window = `day > ${SUBDAY} - CAST(? AS INTEGER) AND day <= ${SUBDAY}`;
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

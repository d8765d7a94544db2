// Compiles an audience tree to one SELECT of `msisdn` over DuckDB's subscriber_facts: one row per
// subscriber active on the audience's day who meets the conditions. The tree's compilation is shared
// with ClickHouse (compile-audience-tree.ts); this module holds DuckDB's words and tables. Every value
// from the definition becomes a `?` parameter; column and table names come only from the fixed maps below.
import { ageBandSql, arpuBandSql, tenureBandSql } from '../../metrics/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
import type { AttributeName, SegmentBand } from './audience-definition.ts';
import {
  type AudienceDialect,
  activityTotalSql,
  betweenSql,
  compileTree,
  scoreSql,
  usageColumn,
} from './compile-audience-tree.ts';
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
  const condition = compileTree(tree, duckDbDialect(options.asOf === undefined), params);
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

/** The DuckDB words; on the facts' own day the holdings and the usual usage windows come from the facts row. */
function duckDbDialect(facts: boolean): AudienceDialect {
  const dialect: AudienceDialect = {
    always: 'TRUE',
    never: 'FALSE',
    emptyRange: '',
    known: (sql, nullable) => (nullable ? `coalesce(${sql}, FALSE)` : sql),
    rangeOperand: (sql) => sql,
    attribute: (name) => attributeSql[name],
    segment: (band) => segmentSql[band],
    held(service, holds, params) {
      params.push(service);
      if (facts) return holds ? 'list_contains(f.held_services, ?)' : 'NOT list_contains(f.held_services, ?)';
      return `f.msisdn ${holds ? 'IN' : 'NOT IN'} (${heldSql})`;
    },
    cancelled(leaf, params) {
      params.push(leaf.cancelled, leaf.withinDays);
      return `f.msisdn IN (SELECT msisdn FROM subscriptions WHERE service_id = ? AND ended_on > ${SUBDAY} - CAST(? AS INTEGER) AND ended_on <= ${SUBDAY})`;
    },
    uses(leaf, params) {
      params.push(leaf.uses, leaf.withinDays, leaf.atLeast ?? 1);
      return `f.msisdn IN (SELECT msisdn FROM agg_subscriber_service_day WHERE service_id = ? AND day > ${SUBDAY} - CAST(? AS INTEGER) AND day <= ${SUBDAY} GROUP BY msisdn HAVING sum(usage_events) >= ?)`;
    },
    usage(leaf, params) {
      const column = usageColumn[leaf.usage];
      if (facts && factsWindows.has(leaf.withinDays))
        return betweenSql(`f.${column}_${leaf.withinDays}d`, leaf.between, params, dialect);
      const totals = {
        subject: 'f.msisdn',
        table: 'agg_subscriber_day',
        window(windowParams: SqlParam[]) {
          windowParams.push(leaf.withinDays);
          return `day > ${SUBDAY} - CAST(? AS INTEGER) AND day <= ${SUBDAY}`;
        },
      };
      return activityTotalSql(totals, column, leaf.between, params, dialect);
    },
    score: (leaf, params) => scoreSql(leaf, 'f.msisdn IN', params),
  };
  return dialect;
}

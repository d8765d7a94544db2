// Recommended service bundles (业务捆绑推荐): the association rules mined from the subscribers' service
// baskets (mining_rules, written by `telmark train` / the cross-sell models), each with its support,
// confidence and lift, turned into a bundle (the rule's services together). Beside them, the service
// pairs held together at the end of the range, counted now, so the page says something before any
// model was trained and shows whether the mined rules still hold.
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { filterClause } from './filter-clause.ts';
import { column, text } from './result-columns.ts';
import { toResultRows } from './result-values.ts';
import type { AnalysisResult } from './analysis-result.ts';

/** A bundle is recommended when its services go together this much more often than by chance. */
export const MIN_BUNDLE_LIFT = 1.2;
/** Pairs held together by fewer subscribers are not shown; at most this many pairs are. */
const MIN_PAIR_COUNT = 5;
const MAX_PAIRS = 40;

export async function bundleAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const clickhouse = context.warehouse.engine === 'clickhouse';
  const [mined, pairs] = await Promise.all([
    clickhouse ? minedBundlesClickHouse(context) : minedBundles(context),
    clickhouse ? heldPairsClickHouse(context) : heldPairs(context),
  ]);
  const ruleColumns = [
    column('support', '支持度', 'support', 'ratio'),
    column('confidence', '置信度', 'confidence', 'ratio'),
    column('lift', '提升度', 'lift', 'per_user'),
  ];
  return {
    kind: 'bundles',
    title: text('业务捆绑推荐', 'Recommended service bundles'),
    from: context.from,
    to: context.to,
    sections: [
      {
        id: 'mined',
        title: text('挖掘出的捆绑(关联规则)', 'Bundles from the mined association rules'),
        note: text(
          `来自最近一次训练的频繁项集规则(提升度 ≥ ${MIN_BUNDLE_LIFT});订有"已订业务"的用户推荐"推荐加订"。尚未训练时为空:在模型页训练或运行 telmark train`,
          `From the latest trained frequent-itemset rules (lift ≥ ${MIN_BUNDLE_LIFT}); offer "add" to holders of "held". Empty until a model is trained (model page or telmark train)`,
        ),
        chart: { kind: 'bar', x: 'services', values: ['lift'], horizontal: true },
        columns: [
          column('services', '捆绑业务', 'bundle'),
          column('lhs', '已订业务', 'held'),
          column('rhs', '推荐加订', 'add'),
          ...ruleColumns,
          column('count', '同时订购用户', 'subscribers with all', 'count'),
          column('model_version', '模型版本', 'model version'),
        ],
        rows: mined,
      },
      {
        id: 'pairs',
        title: text('期末同时订购的业务对', 'Service pairs held together at the end of the range'),
        note: text(
          '支持度 = 同时订有两项业务的用户 / 订有任一业务的用户;置信度 = 订有甲者中也订乙的比例;提升度 > 1 表示比随机更常同时订购',
          'Support = subscribers holding both / subscribers holding any service; confidence = share of holders of the first who hold the second; lift > 1 = held together more often than by chance',
        ),
        chart: { kind: 'bar', x: 'services', values: ['lift'], horizontal: true },
        columns: [
          column('services', '业务对', 'pair'),
          column('lhs', '已订业务', 'held'),
          column('rhs', '推荐加订', 'add'),
          ...ruleColumns,
          column('count', '同时订购用户', 'subscribers with both', 'count'),
        ],
        rows: pairs,
      },
    ],
  };
}

async function minedBundles(context: AnalysisContext) {
  const rows = await context.warehouse.all(
    `WITH latest AS (
       SELECT model_version FROM mining_rules r JOIN mining_models m USING (model_version)
       ORDER BY m.trained_at DESC LIMIT 1
     )
     SELECT array_to_string(list_sort(list_distinct(string_split(r.lhs || ', ' || r.rhs, ', '))), ', ') AS services,
            r.lhs, r.rhs, r.support, r.confidence, r.lift, r.count, r.model_version
     FROM mining_rules r WHERE r.model_version IN (SELECT model_version FROM latest) AND r.lift >= ?
     ORDER BY r.lift DESC, r.support DESC, r.lhs, r.rhs LIMIT 100`,
    [MIN_BUNDLE_LIFT],
  );
  return toResultRows(rows);
}

/**
 * The same on ClickHouse: `train --models cross-sell` writes mining_rules and mining_models whole to
 * every shard (clickhouse-mining-tables.ts), so the answering node reads its own copy. No CTE on 18.16:
 * the latest model with rules is an IN over a sorted, limited subquery.
 */
async function minedBundlesClickHouse(context: AnalysisContext) {
  const rows = await context.warehouse.all(
    `SELECT arrayStringConcat(arraySort(arrayDistinct(splitByString(', ', concat(lhs, ', ', rhs)))), ', ') AS services,
            lhs, rhs, support, confidence, lift, count, model_version
     FROM mining_rules
     WHERE model_version IN (
             SELECT model_version FROM mining_models
             WHERE model_version IN (SELECT model_version FROM mining_rules)
             ORDER BY trained_at DESC LIMIT 1)
       AND lift >= ?
     ORDER BY lift DESC, support DESC, lhs, rhs LIMIT 100`,
    [MIN_BUNDLE_LIFT],
  );
  return toResultRows(rows);
}

async function heldPairs(context: AnalysisContext) {
  const params: SqlParam[] = [context.to, context.to];
  const where = filterClause(context, { region: 'u.region', county: 'u.county', brand: 'u.brand' }, params);
  const rows = await context.warehouse.all(
    `WITH held AS (
       SELECT DISTINCT s.msisdn, s.service_id FROM subscriptions s JOIN subscribers u ON u.msisdn = s.msisdn
       WHERE s.started_on <= CAST(? AS DATE) AND (s.ended_on IS NULL OR s.ended_on > CAST(? AS DATE))${where}
     ),
     n AS (SELECT count(DISTINCT msisdn) AS baskets FROM held),
     single AS (SELECT service_id, count(*) AS holders FROM held GROUP BY service_id),
     pair AS (
       SELECT a.service_id AS lhs, b.service_id AS rhs, count(*) AS both_count
       FROM held a JOIN held b ON a.msisdn = b.msisdn AND a.service_id <> b.service_id GROUP BY ALL
     )
     SELECT p.lhs || ', ' || p.rhs AS services, p.lhs, p.rhs, p.both_count / n.baskets AS support,
            p.both_count / sa.holders AS confidence, p.both_count * n.baskets / (sa.holders * sb.holders) AS lift,
            p.both_count AS count
     FROM pair p CROSS JOIN n JOIN single sa ON sa.service_id = p.lhs JOIN single sb ON sb.service_id = p.rhs
     WHERE p.both_count >= ?
     ORDER BY lift DESC, support DESC, p.lhs, p.rhs LIMIT ?`,
    [...params, MIN_PAIR_COUNT, MAX_PAIRS],
  );
  return toResultRows(rows);
}

/**
 * The same on ClickHouse, from each known subscriber's spells as arrays (agg_subscriber_spells, built
 * per shard): the services held at the end of the range are taken per subscriber on the shard, and
 * only the counts of baskets, of holders per service and of holders per ordered pair leave it.
 */
async function heldPairsClickHouse(context: AnalysisContext) {
  const held = (params: SqlParam[]) => {
    params.push(context.to);
    return `WITH toDate(?) AS at_day, arrayDistinct(arrayFilter((s, a, b) -> a <= at_day AND b > at_day, service_ids, started, ended)) AS held`;
  };
  const where = (params: SqlParam[]) =>
    `WHERE 1 = 1${filterClause(context, { region: 'region', county: 'county', brand: 'brand' }, params)}`;
  const basketParams: SqlParam[] = [];
  const basketSql = `${held(basketParams)} SELECT countIf(notEmpty(held)) AS baskets FROM agg_subscriber_spells ${where(basketParams)}`;
  const singleParams: SqlParam[] = [];
  // ARRAY JOIN takes an expression, not a WITH alias alone.
  const singleSql = `${held(singleParams)} SELECT service_id, count() AS holders FROM agg_subscriber_spells
    ARRAY JOIN arrayMap(s -> s, held) AS service_id ${where(singleParams)} GROUP BY service_id`;
  const pairParams: SqlParam[] = [];
  const pairSql = `${held(pairParams)} SELECT tupleElement(pair, 1) AS lhs, tupleElement(pair, 2) AS rhs, count() AS both_count
    FROM agg_subscriber_spells
    ARRAY JOIN arrayFilter(p -> tupleElement(p, 1) != tupleElement(p, 2),
      arrayMap(i -> (held[intDiv(i, length(held)) + 1], held[i % length(held) + 1]), range(length(held) * length(held)))) AS pair
    ${where(pairParams)} GROUP BY lhs, rhs`;
  const [basket, singles, pairs] = await Promise.all([
    context.warehouse.one<{ baskets: number }>(basketSql, basketParams),
    context.warehouse.all<{ service_id: string; holders: number }>(singleSql, singleParams),
    context.warehouse.all<{ lhs: string; rhs: string; both_count: number }>(pairSql, pairParams),
  ]);
  const baskets = Number(basket?.baskets ?? 0);
  const holdersOf = new Map(singles.map((s) => [s.service_id, Number(s.holders)]));
  const rows = pairs
    .filter((p) => Number(p.both_count) >= MIN_PAIR_COUNT)
    .map((p) => {
      const both = Number(p.both_count);
      const lhsHolders = holdersOf.get(p.lhs)!;
      const rhsHolders = holdersOf.get(p.rhs)!;
      return {
        services: `${p.lhs}, ${p.rhs}`,
        lhs: p.lhs,
        rhs: p.rhs,
        support: both / baskets,
        confidence: both / lhsHolders,
        lift: (both * baskets) / (lhsHolders * rhsHolders),
        count: both,
      };
    })
    .sort((a, b) => b.lift - a.lift || b.support - a.support || compareText(a.lhs, b.lhs) || compareText(a.rhs, b.rhs))
    .slice(0, MAX_PAIRS);
  return toResultRows(rows);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

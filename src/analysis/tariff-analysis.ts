// Tariff analysis (资费分析): how subscribers of each plan use and pay for services, to judge
// whether the tariff structure fits: ARPU and bill structure per plan, and service take-up, use and
// (estimated) revenue per plan × service.
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { filterClause } from './filter-clause.ts';
import { metricRows } from './metric-rows.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';
import type { AnalysisResult } from './analysis-result.ts';

export async function tariffAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const [subscribers, arpu, vasArpu, bills, planService] = await Promise.all([
    metricRows(context, 'subscribers', ['plan']),
    metricRows(context, 'arpu', ['plan']),
    metricRows(context, 'vas_arpu', ['plan']),
    billStructure(context),
    planServiceUse(context),
  ]);
  const arpuOf = new Map(arpu.map((r) => [String(r.plan), r]));
  const vasOf = new Map(vasArpu.map((r) => [String(r.plan), num(r.value)]));
  const plans = subscribers.map((r) => {
    const plan = String(r.plan);
    const billing = arpuOf.get(plan);
    return {
      plan,
      subscribers: num(r.value),
      arpu: num(billing?.value),
      vas_arpu: vasOf.get(plan) ?? null,
      revenue: num(billing?.revenue),
    };
  });
  return {
    kind: 'tariff',
    title: text('资费分析', 'Tariff analysis'),
    from: context.from,
    to: context.to,
    sections: [
      {
        id: 'plans',
        title: text('各套餐用户与 ARPU', 'Subscribers and ARPU by plan'),
        chart: { kind: 'bar', x: 'plan', values: ['arpu', 'vas_arpu'] },
        columns: [
          column('plan', '套餐', 'plan'),
          column('subscribers', '在网用户', 'subscribers', 'count'),
          column('arpu', 'ARPU(元)', 'ARPU (yuan)', 'yuan'),
          column('vas_arpu', '增值 ARPU(元)', 'VAS ARPU (yuan)', 'yuan'),
          column('revenue', '出账收入(元)', 'revenue (yuan)', 'yuan'),
        ],
        rows: toResultRows(plans),
      },
      {
        id: 'bill-structure',
        title: text('各套餐月均账单结构', 'Average monthly bill by plan'),
        chart: { kind: 'stacked-bar', x: 'plan', values: ['voice_fee', 'sms_fee', 'data_fee', 'vas_fee'] },
        columns: [
          column('plan', '套餐', 'plan'),
          column('voice_fee', '语音(元)', 'voice (yuan)', 'yuan'),
          column('sms_fee', '短信(元)', 'SMS (yuan)', 'yuan'),
          column('data_fee', '数据(元)', 'data (yuan)', 'yuan'),
          column('vas_fee', '增值(元)', 'VAS (yuan)', 'yuan'),
          column('total_fee', '合计(元)', 'total (yuan)', 'yuan'),
        ],
        rows: bills,
      },
      {
        id: 'plan-service',
        title: text('套餐 × 业务:普及率', 'Plan × service: penetration'),
        note: text(
          '期末业务用户 / 套餐在网用户;使用量为期内使用次数 / 业务用户;收入按期末付费用户 × 月功能费估算',
          'Holders at the end / plan subscribers; use = usage events in the range per holder; revenue estimated as paying holders × monthly fee',
        ),
        chart: { kind: 'heatmap', x: 'service', y: 'plan', value: 'penetration' },
        columns: [
          column('plan', '套餐', 'plan'),
          column('service', '业务', 'service'),
          column('holders', '业务用户', 'holders', 'count'),
          column('penetration', '普及率', 'penetration', 'ratio'),
          column('usage_per_holder', '人均使用次数', 'use per holder', 'per_user'),
          column('monthly_revenue', '月功能费收入(元)', 'monthly fee revenue (yuan)', 'yuan'),
        ],
        rows: planService,
      },
    ],
  };
}

const segmentColumns = { region: 'f.region', county: 'f.county', brand: 'f.brand', plan: 'f.plan_id' } as const;

/** Average bill per plan, from the bills per segment and month. */
async function billStructure(context: AnalysisContext) {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, segmentColumns, params);
  const fees = ['voice_fee', 'sms_fee', 'data_fee', 'vas_fee', 'revenue'];
  // The sums in an inner SELECT under other names: ClickHouse would read `f.voice_fee` inside the
  // expression named `voice_fee` as that alias.
  const monthStart =
    context.warehouse.engine === 'clickhouse'
      ? 'toStartOfMonth(CAST(? AS DATE))'
      : "date_trunc('month', CAST(? AS DATE))";
  const toDouble = (sql: string) =>
    context.warehouse.engine === 'clickhouse' ? `toFloat64(${sql})` : `CAST(${sql} AS DOUBLE)`;
  const rows = await context.warehouse.all(
    `SELECT plan, ${fees
      .map((fee) => `${toDouble(`sum_${fee}`)} / billed AS ${fee === 'revenue' ? 'total_fee' : fee}`)
      .join(', ')}
     FROM (SELECT f.plan_id AS plan, ${fees.map((fee) => `sum(f.${fee}) AS sum_${fee}`).join(', ')},
                  sum(f.billed_subscribers) AS billed
           FROM agg_billing_segment_month f
           WHERE f.month >= ${monthStart} AND f.month <= CAST(? AS DATE) AND f.plan_id IS NOT NULL${where}
           GROUP BY plan)
     ORDER BY plan`,
    params,
  );
  return toResultRows(rows);
}

/**
 * Per plan x service: holders and paying holders on the last day of the range, their share of the
 * plan's subscribers that day, and the use over the whole range (the loader's per-plan aggregates).
 */
async function planServiceUse(context: AnalysisContext) {
  return context.warehouse.engine === 'clickhouse' ? planServiceUseClickHouse(context) : planServiceUseDuckDb(context);
}

async function planServiceUseDuckDb(context: AnalysisContext) {
  const params: SqlParam[] = [context.from, context.to];
  const baseFilter = filterClause(context, segmentColumns, params);
  params.push(context.from, context.to);
  const heldFilter = filterClause(context, { ...segmentColumns, service: 'f.service_id' }, params);
  const rows = await context.warehouse.all(
    `WITH last AS (SELECT max(day) AS day FROM agg_segment_day WHERE day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)),
     base AS (
       SELECT f.plan_id AS plan, sum(f.subscribers_active) AS subscribers FROM agg_segment_day f, last
       WHERE f.day = last.day${baseFilter}
       GROUP BY ALL
     ),
     held AS (
       SELECT f.plan_id AS plan, f.service_id, sum(f.holders) FILTER (WHERE f.day = last.day) AS holders,
              sum(f.paying_holders) FILTER (WHERE f.day = last.day) AS paying, sum(f.usage_events) AS usage_events
       FROM agg_area_service_day f, last
       WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${heldFilter}
       GROUP BY ALL
     )
     SELECT h.plan, h.service_id AS service, CAST(h.holders AS BIGINT) AS holders,
            CAST(h.holders AS DOUBLE) / NULLIF(b.subscribers, 0) AS penetration,
            CAST(h.usage_events AS DOUBLE) / h.holders AS usage_per_holder,
            h.paying * sv.monthly_fee AS monthly_revenue
     FROM held h JOIN base b USING (plan) JOIN services sv ON sv.service_id = h.service_id
     WHERE h.holders > 0
     ORDER BY h.plan, h.service_id`,
    params,
  );
  return toResultRows(rows);
}

/**
 * The same on ClickHouse 18.16: no CTE, so the last day is asked first (18.16 cannot take a scalar
 * subquery inside an aggregate of a distributed query), and one JOIN per SELECT (services inside,
 * the plan's base outside).
 */
async function planServiceUseClickHouse(context: AnalysisContext) {
  const last = await context.warehouse.one<{ last_day: string }>(
    'SELECT toString(max(day)) AS last_day FROM agg_segment_day WHERE day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)',
    [context.from, context.to],
  );
  const lastDay = last?.last_day ?? '0000-00-00';
  const params: SqlParam[] = [lastDay, lastDay, context.from, context.to];
  const heldFilter = filterClause(context, { ...segmentColumns, service: 'f.service_id' }, params);
  params.push(lastDay);
  const baseFilter = filterClause(context, segmentColumns, params);
  const rows = await context.warehouse.all(
    `SELECT plan, service, held AS holders, toFloat64(held) / nullIf(base_subscribers, 0) AS penetration,
            toFloat64(used) / held AS usage_per_holder, monthly_revenue
     FROM (
       SELECT plan, service_id AS service, held, used, paying * monthly_fee AS monthly_revenue
       FROM (
         SELECT f.plan_id AS plan, f.service_id AS service_id, sumIf(f.holders, f.day = toDate(?)) AS held,
                sumIf(f.paying_holders, f.day = toDate(?)) AS paying,
                sum(f.usage_events) AS used
         FROM agg_area_service_day f
         WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${heldFilter}
         GROUP BY plan, service_id
       ) ANY INNER JOIN (SELECT service_id, monthly_fee FROM services) USING service_id
       WHERE held > 0
     ) ANY INNER JOIN (
       SELECT f.plan_id AS plan, sum(f.subscribers_active) AS base_subscribers FROM agg_segment_day f
       WHERE f.day = toDate(?)${baseFilter}
       GROUP BY plan
     ) USING plan
     ORDER BY plan, service`,
    params,
  );
  return toResultRows(rows);
}

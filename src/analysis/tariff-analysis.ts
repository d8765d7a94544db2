// Tariff analysis (资费分析): how subscribers of each plan use and pay for services, to judge
// whether the tariff structure fits: ARPU and bill structure per plan, and service take-up, use and
// (estimated) revenue per plan × service.
import type { SqlParam } from '../warehouse/index.ts';
import { type AnalysisContext, column, filterClause, metricRows, num, text, toResultRows } from './analysis-context.ts';
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

async function billStructure(context: AnalysisContext) {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(
    context,
    { region: 'u.region', county: 'u.county', brand: 'u.brand', plan: 'u.plan_id' },
    params,
  );
  const rows = await context.warehouse.all(
    `SELECT u.plan_id AS plan, avg(b.voice_fee) AS voice_fee, avg(b.sms_fee) AS sms_fee, avg(b.data_fee) AS data_fee,
            avg(b.vas_fee) AS vas_fee, avg(b.total_fee) AS total_fee
     FROM billing b JOIN subscribers u ON u.msisdn = b.msisdn
     WHERE b.month >= date_trunc('month', CAST(? AS DATE)) AND b.month <= CAST(? AS DATE)${where}
     GROUP BY ALL ORDER BY plan`,
    params,
  );
  return toResultRows(rows);
}

async function planServiceUse(context: AnalysisContext) {
  const subscriberDims = { region: 'u.region', county: 'u.county', brand: 'u.brand', plan: 'u.plan_id' } as const;
  const params: SqlParam[] = [context.to, context.to];
  const baseFilter = filterClause(context, subscriberDims, params);
  params.push(context.to, context.to, context.to);
  const heldFilter = filterClause(context, { ...subscriberDims, service: 's.service_id' }, params);
  params.push(context.from, context.to);
  const usedFilter = filterClause(context, { ...subscriberDims, service: 'a.service_id' }, params);
  const rows = await context.warehouse.all(
    `WITH base AS (
       SELECT u.plan_id AS plan, count(*) AS subscribers FROM subscribers u
       WHERE u.activated_on <= CAST(? AS DATE)
         AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= CAST(? AS DATE))${baseFilter}
       GROUP BY ALL
     ),
     held AS (
       SELECT u.plan_id AS plan, s.service_id, count(*) AS holders,
              count(*) FILTER (WHERE s.trial_ends_on IS NULL OR s.trial_ends_on <= CAST(? AS DATE)) AS paying
       FROM subscriptions s JOIN subscribers u ON u.msisdn = s.msisdn
       WHERE s.started_on <= CAST(? AS DATE) AND (s.ended_on IS NULL OR s.ended_on > CAST(? AS DATE))${heldFilter}
       GROUP BY ALL
     ),
     used AS (
       SELECT u.plan_id AS plan, a.service_id, sum(a.usage_events) AS usage_events
       FROM agg_subscriber_service_day a JOIN subscribers u ON u.msisdn = a.msisdn
       WHERE a.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${usedFilter}
       GROUP BY ALL
     )
     SELECT h.plan, h.service_id AS service, h.holders, CAST(h.holders AS DOUBLE) / NULLIF(b.subscribers, 0) AS penetration,
            CAST(coalesce(x.usage_events, 0) AS DOUBLE) / NULLIF(h.holders, 0) AS usage_per_holder,
            h.paying * sv.monthly_fee AS monthly_revenue
     FROM held h JOIN base b USING (plan) JOIN services sv ON sv.service_id = h.service_id
     LEFT JOIN used x ON x.plan = h.plan AND x.service_id = h.service_id
     ORDER BY h.plan, h.service_id`,
    params,
  );
  return toResultRows(rows);
}

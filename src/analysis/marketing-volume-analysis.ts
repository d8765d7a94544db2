// Monthly marketing volume and success rate (营销量与营销成功率), as the Heyuan case reports them: the
// marketing messages of every source (real-time triggers, campaigns, ad-hoc lists, …) per month, how
// many were delivered, and how many were answered by an order of the promoted service within the
// response window. Reads only channel_outbox and orders, so it counts every source the same way. With
// the facts on ClickHouse the outbox stays in the operational store and the orders are on the cluster:
// marketing-volume-clickhouse.ts pushes the messages there and counts per shard.
import { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { filterClause } from './filter-clause.ts';
import { marketingVolumeOnClickHouse } from './marketing-volume-clickhouse.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';
import type { AnalysisResult, ResultColumn, ResultRow } from './analysis-result.ts';

/** An order of the promoted service this long after the message counts as its success (a trigger's default window). */
export const RESPONSE_WINDOW_DAYS = 3;

const dims = { region: 'u.region', county: 'u.county', brand: 'u.brand' } as const;

export async function marketingVolumeAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const { months, counties, brands } =
    context.warehouse instanceof ClickHouseWarehouse
      ? await marketingVolumeOnClickHouse(context, context.warehouse, RESPONSE_WINDOW_DAYS)
      : await volumeOnDuckDb(context);
  const monthRows = withEmptyMonths(context, months);
  const total = months.reduce<{ messages: number; delivered: number; responded: number }>(
    (t, r) => ({
      messages: t.messages + (num(r.messages) ?? 0),
      delivered: t.delivered + (num(r.delivered) ?? 0),
      responded: t.responded + (num(r.responded) ?? 0),
    }),
    { messages: 0, delivered: 0, responded: 0 },
  );
  const volumeColumns: ResultColumn[] = [
    column('messages', '营销量(条)', 'messages', 'count'),
    column('delivered', '成功送达', 'delivered', 'count'),
    column('responded', '办理响应', 'responded', 'count'),
    column('success_rate', '营销成功率', 'success rate', 'ratio'),
    column('delivery_rate', '送达率', 'delivery rate', 'ratio'),
  ];
  const note = text(
    `营销量 = 出站箱中的营销短信/邮件(不含告警与服务通知);营销成功率 = 送达后 ${RESPONSE_WINDOW_DAYS} 天内办理所推广业务的条数 / 送达条数。按消息入队月份统计,包含出站箱的全部月份`,
    `Messages = marketing messages in the outbox (alerts and service notices excluded); success rate = delivered messages followed by an order of the promoted service within ${RESPONSE_WINDOW_DAYS} days / delivered messages. By the month a message was queued, every month the outbox holds`,
  );
  return {
    kind: 'marketing',
    title: text('营销量与营销成功率', 'Marketing volume and success rate'),
    from: context.from,
    to: context.to,
    headlines: [
      {
        key: 'messages',
        label: text('营销量', 'Marketing messages'),
        definition: text(
          '期间发件箱中营销类消息条数(实时触发、营销活动等,含未送达)',
          'Marketing messages in the outbox for the period (triggers, campaigns …), delivered or not',
        ),
        value: total.messages,
        unit: 'count',
      },
      {
        key: 'delivered',
        label: text('成功送达', 'Delivered'),
        definition: text(
          '收到“已送达”状态报告的营销消息条数',
          'Marketing messages with a delivery receipt saying delivered',
        ),
        value: total.delivered,
        unit: 'count',
      },
      {
        key: 'success_rate',
        label: text('营销成功率', 'Success rate'),
        definition: text(
          '送达后 3 天内订购所推荐业务的消息数 ÷ 送达消息数',
          'Delivered messages followed within 3 days by an order of the promoted service ÷ delivered messages',
        ),
        value: total.delivered > 0 ? total.responded / total.delivered : null,
        unit: 'ratio',
      },
    ],
    sections: [
      {
        id: 'month',
        title: text('每月营销量(按来源)', 'Marketing messages per month, by source'),
        note,
        chart: { kind: 'stacked-bar', x: 'month', by: 'source', value: 'messages' },
        columns: [column('month', '月份', 'month'), column('source', '来源', 'source'), ...volumeColumns],
        rows: monthRows,
      },
      {
        id: 'county',
        title: text('各区县营销量与成功率', 'By county'),
        chart: {
          kind: 'bar',
          x: 'county',
          values: ['messages', 'delivered', 'responded'],
          rightAxis: ['success_rate'],
        },
        columns: [column('county', '区县', 'county'), column('source', '来源', 'source'), ...volumeColumns],
        rows: counties.map(({ key, ...r }) => ({ county: key ?? null, ...r })),
      },
      {
        id: 'brand',
        title: text('各品牌营销量与成功率', 'By brand'),
        chart: { kind: 'bar', x: 'brand', values: ['messages', 'delivered', 'responded'], rightAxis: ['success_rate'] },
        columns: [column('brand', '品牌', 'brand'), column('source', '来源', 'source'), ...volumeColumns],
        rows: brands.map(({ key, ...r }) => ({ brand: key ?? null, ...r })),
      },
    ],
  };
}

async function volumeOnDuckDb(context: AnalysisContext) {
  const [months, counties, brands] = await Promise.all([
    volumeBy(context, `CAST(date_trunc('month', m.queued_at) AS DATE)`, true),
    volumeBy(context, `coalesce(u.county, '')`, false),
    volumeBy(context, `coalesce(u.brand, 'other')`, false),
  ]);
  return { months, counties, brands };
}

async function volumeBy(context: AnalysisContext, key: string, bySource: boolean) {
  const params: SqlParam[] = [];
  const where = filterClause(context, dims, params);
  const rows = await context.warehouse.all(
    `WITH messages AS (
       SELECT m.message_id, m.source, m.subscriber, m.service_id, m.queued_at, m.status = 'delivered' AS delivered,
              coalesce(m.final_at, m.submitted_at, m.queued_at) AS sent_at
       FROM channel_outbox m WHERE m.kind = 'marketing'
     ),
     responded AS (
       SELECT DISTINCT m.message_id FROM messages m JOIN orders o
         ON o.msisdn = m.subscriber AND o.service_id = m.service_id AND o.action = 'subscribe'
        AND o.ts >= m.sent_at AND o.ts < m.sent_at + INTERVAL ${RESPONSE_WINDOW_DAYS} DAY
       WHERE m.delivered
     )
     SELECT ${bySource ? `CAST(${key} AS VARCHAR)` : key} AS key, m.source, count(*) AS messages,
            count(*) FILTER (m.delivered) AS delivered, count(r.message_id) AS responded,
            count(r.message_id) / nullif(count(*) FILTER (m.delivered), 0) AS success_rate,
            count(*) FILTER (m.delivered) / count(*) AS delivery_rate
     FROM messages m LEFT JOIN subscribers u ON u.msisdn = m.subscriber
     LEFT JOIN responded r ON r.message_id = m.message_id
     WHERE TRUE${where}
     GROUP BY ALL ORDER BY 1, 2`,
    params,
  );
  return toResultRows(rows);
}

/** Every month of the loaded range appears, with zero messages when none were sent. */
function withEmptyMonths(context: AnalysisContext, rows: ResultRow[]): ResultRow[] {
  const out: ResultRow[] = rows.map(({ key, ...r }) => ({ ...r, month: String(key).slice(0, 7) }));
  const seen = new Set(out.map((r) => r.month));
  for (let month = context.from.slice(0, 7); month <= context.to.slice(0, 7); month = nextMonth(month)) {
    if (seen.has(month)) continue;
    for (const source of ['trigger', 'campaign']) {
      out.push({
        month,
        source,
        messages: 0,
        delivered: 0,
        responded: 0,
        success_rate: null,
        delivery_rate: null,
      });
    }
  }
  return out.sort((a, b) =>
    a.month === b.month ? String(a.source).localeCompare(String(b.source)) : String(a.month) < String(b.month) ? -1 : 1,
  );
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

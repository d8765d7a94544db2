// Person-to-person SMS forward rate (点对点短信转发率), the seed's activity measure for SMS: of the
// person-to-person messages subscribers sent, the share that were forwards. It is not the mobile
// newspaper's forward rate (forwards of the news ÷ news pushed), which the activity analysis shows.
import type { SqlParam } from '../warehouse/index.ts';
import type { AnalysisContext } from './analysis-context.ts';
import { filterClause } from './filter-clause.ts';
import { periodText } from './period-text.ts';
import { column, text } from './result-columns.ts';
import { num, toResultRows } from './result-values.ts';
import type { AnalysisResult, ResultColumn } from './analysis-result.ts';

const dims = { region: 'f.region', county: 'f.county', brand: 'f.brand' } as const;

export async function smsForwardAnalysis(context: AnalysisContext): Promise<AnalysisResult> {
  const period = periodText(context, context.grain, 'f.day');
  const [total, trend, counties, brands] = await Promise.all([
    forwardsBy(context, `'all'`),
    forwardsBy(context, period),
    forwardsBy(context, 'f.county'),
    forwardsBy(context, 'f.brand'),
  ]);
  const all = total[0];
  const rateColumns: ResultColumn[] = [
    column('p2p_sent', '点对点短信发出', 'P2P messages sent', 'count'),
    column('p2p_forwards', '其中转发', 'of which forwards', 'count'),
    column('forward_rate', '转发率', 'forward rate', 'ratio'),
    column('p2p_received', '点对点短信接收', 'P2P messages received', 'count'),
    column('forwarder_days', '转发用户(日累计)', 'forwarder-days', 'count'),
    column('sender_days', '发送用户(日累计)', 'sender-days', 'count'),
  ];
  const note = text(
    '转发率 = 转发的点对点短信 / 发出的点对点短信;与手机报转发率(转发 / 下发的手机报)不同。用户数按日累计(同一用户每天计一次)',
    'Forward rate = forwarded person-to-person messages / person-to-person messages sent; not the news forward rate (forwards / news pushed). Users are counted once per day (user-days)',
  );
  return {
    kind: 'sms-forward',
    title: text('点对点短信转发率', 'P2P SMS forward rate'),
    from: context.from,
    to: context.to,
    headlines: [
      {
        key: 'forward_rate',
        label: text('点对点短信转发率', 'P2P SMS forward rate'),
        definition: text(
          '用户转发的点对点短信条数 ÷ 用户发出的点对点短信条数(不含手机报等业务短信)',
          'Person-to-person messages forwarded ÷ person-to-person messages sent (service messages such as the mobile newspaper excluded)',
        ),
        value: num(all?.forward_rate),
        unit: 'ratio',
      },
      {
        key: 'p2p_sent',
        label: text('点对点短信发出', 'P2P messages sent'),
        definition: text(
          '期间用户发给其他手机号码的短信条数',
          'Messages sent by subscribers to other mobile numbers in the period',
        ),
        value: num(all?.p2p_sent),
        unit: 'count',
      },
      {
        key: 'p2p_forwards',
        label: text('转发短信', 'Forwarded messages'),
        definition: text('点对点短信中属于转发的条数', 'Person-to-person messages that were forwards'),
        value: num(all?.p2p_forwards),
        unit: 'count',
      },
    ],
    sections: [
      {
        id: 'trend',
        title: text('转发率趋势', 'Forward rate over time'),
        note,
        chart: { kind: 'bar', x: 'period', values: ['p2p_sent', 'p2p_forwards'], rightAxis: ['forward_rate'] },
        columns: [column('period', '时间', 'period'), ...rateColumns],
        rows: trend.map(({ key, ...r }) => ({ period: String(key), ...r })),
      },
      {
        id: 'county',
        title: text('各区县转发率', 'Forward rate by county'),
        chart: { kind: 'bar', x: 'county', values: ['forward_rate'] },
        columns: [column('county', '区县', 'county'), ...rateColumns],
        rows: counties.map(({ key, ...r }) => ({ county: key ?? null, ...r })),
        drill: { column: 'county', filter: 'county' },
      },
      {
        id: 'brand',
        title: text('各品牌转发率', 'Forward rate by brand'),
        chart: { kind: 'bar', x: 'brand', values: ['forward_rate'] },
        columns: [column('brand', '品牌', 'brand'), ...rateColumns],
        rows: brands.map(({ key, ...r }) => ({ brand: key ?? null, ...r })),
      },
    ],
  };
}

// One text for both engines: the rate is taken over the sums in an outer SELECT, because ClickHouse
// would read `sum(f.p2p_sent)` inside another expression as its alias `p2p_sent`. Sender days are
// summed over shards, exact because a subscriber lives on one shard.
async function forwardsBy(context: AnalysisContext, key: string) {
  const params: SqlParam[] = [context.from, context.to];
  const where = filterClause(context, dims, params);
  const rows = await context.warehouse.all(
    `SELECT key, p2p_sent, p2p_forwards, p2p_forwards / nullIf(p2p_sent, 0) AS forward_rate, p2p_received,
            forwarder_days, sender_days
     FROM (SELECT ${key} AS key, sum(f.p2p_sent) AS p2p_sent, sum(f.p2p_forwards) AS p2p_forwards,
                  sum(f.p2p_received) AS p2p_received, sum(f.forwarders) AS forwarder_days, sum(f.senders) AS sender_days
           FROM agg_sms_area_day f
           WHERE f.day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)${where}
           GROUP BY key)
     ORDER BY key`,
    params,
  );
  return toResultRows(rows);
}

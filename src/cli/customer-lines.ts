// The customer profile as rows of (section, item, value) in one language, for the table and CSV
// output of `telmark customer`; JSON output is the profile itself.
import type { CustomerProfile } from '../customers/index.ts';

type Lang = 'zh' | 'en';
type Line = { section: string; item: string; value: string };

const yuan = (v: number | null) => (v === null ? '—' : `¥${v.toFixed(2)}`);

export function profileLines(p: CustomerProfile, lang: Lang): Line[] {
  const zh = lang === 'zh';
  const lines: Line[] = [];
  const add = (section: string, item: string, value: string) => lines.push({ section, item, value });
  const who = zh ? '客户' : 'customer';
  add(who, zh ? '号码' : 'number', p.msisdn);
  add(who, zh ? '品牌' : 'brand', p.brand.label[lang]);
  add(who, zh ? '套餐' : 'plan', `${p.plan.label[lang]} ${yuan(p.plan.monthlyFeeYuan)}`);
  add(who, zh ? '区县' : 'county', p.county[lang]);
  add(who, zh ? '状态' : 'status', p.status.label[lang]);
  add(who, zh ? '在网' : 'tenure', p.tenure.label[lang]);
  add(who, zh ? '年龄段' : 'age band', p.ageBand);
  add(who, zh ? '细分' : 'segment', p.segment.label[lang]);
  add(who, zh ? '月消费' : 'ARPU', p.arpu.label[lang]);
  for (const m of p.arpu.months) add(zh ? '账单' : 'bills', m.month, yuan(m.totalYuan));
  add(zh ? '营销' : 'marketing', zh ? '联系许可' : 'contact', p.contactStatus.label[lang]);
  add(
    zh ? '流失' : 'churn',
    p.churn.label[lang],
    p.churn.score === null ? '' : `${Math.round(p.churn.score * 1000) / 10} %`,
  );
  for (const r of p.churn.reasons) add(zh ? '流失' : 'churn', zh ? '原因' : 'reason', r[lang]);
  for (const o of p.offers)
    add(zh ? '推荐' : 'offers', `${o.rank}. ${o.label[lang]} ${yuan(o.monthlyFeeYuan)}`, o.reason[lang]);
  for (const s of p.services)
    add(
      zh ? '增值业务' : 'services',
      `${s.label[lang]}${s.held ? (zh ? '（在订）' : ' (held)') : ''}`,
      s.summary[lang],
    );
  for (const u of p.usage)
    add(
      zh ? '近30天使用' : 'use, 30 days',
      u.label[lang],
      zh ? `${u.events} 次，${u.daysUsed} 天` : `${u.events} uses on ${u.daysUsed} days`,
    );
  for (const c of p.contacts)
    add(
      zh ? '营销接触' : 'contacts',
      c.queuedAt.slice(0, 16),
      `${c.source} ${c.sourceRef ?? ''}: ${c.status.label[lang]}`,
    );
  for (const r of p.responses) add(zh ? '响应' : 'responses', r.at.slice(0, 16), r.text[lang]);
  for (const a of p.alerts) add(zh ? '告警' : 'alerts', a.day, `${a.explanation[lang]} (${a.status.label[lang]})`);
  for (const l of p.live?.lines ?? []) add(zh ? '实时' : 'live', '', l[lang]);
  return lines;
}

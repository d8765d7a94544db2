// Churn risk in words for the agent. The level comes from the latest churn model's score when one is
// stored; the reasons come from the customer's own facts, checked against the drivers the churn
// features carry (complaints, peers on other networks, falling use, a falling bill, cancellations),
// so the agent can talk about them. Without a stored model the reasons alone set the level.
import type { Bilingual, ChurnLevel, ChurnRisk } from './customer-profile.ts';
import { yuan } from './customer-labels.ts';

export interface ChurnFacts {
  tenureMonths: number;
  complaintCalls30d: number;
  p2pSms30d: number;
  offnetSms30d: number;
  eventsLast7d: number;
  eventsPrior7d: number;
  cancels30d: number;
  /** The last two bills, older first (fewer when not billed yet). */
  lastBillsYuan: number[];
}

/** Model scores are probabilities of closing within 30 days; the base rate is a few per cent. */
const HIGH_SCORE = 0.2;
const MEDIUM_SCORE = 0.08;
const OFFNET_SHARE = 0.3;

const levelLabels: Record<ChurnLevel, Bilingual> = {
  high: { zh: '流失风险高', en: 'high churn risk' },
  medium: { zh: '流失风险中', en: 'medium churn risk' },
  low: { zh: '流失风险低', en: 'low churn risk' },
};

export function churnReasons(facts: ChurnFacts): Bilingual[] {
  const reasons: Bilingual[] = [];
  if (facts.complaintCalls30d > 0)
    reasons.push({
      zh: `近30天拨打10086投诉 ${facts.complaintCalls30d} 次`,
      en: `called 10086 to complain ${facts.complaintCalls30d} times in 30 days`,
    });
  if (facts.p2pSms30d >= 5 && facts.offnetSms30d / facts.p2pSms30d > OFFNET_SHARE) {
    const share = Math.round((100 * facts.offnetSms30d) / facts.p2pSms30d);
    reasons.push({
      zh: `短信联系人中 ${share}% 是异网号码`,
      en: `${share} % of SMS contacts are on other networks`,
    });
  }
  if (facts.eventsPrior7d >= 3 && facts.eventsLast7d < facts.eventsPrior7d / 2)
    reasons.push({
      zh: `近7天使用 ${facts.eventsLast7d} 次，前7天 ${facts.eventsPrior7d} 次，明显下降`,
      en: `use fell to ${facts.eventsLast7d} in the last 7 days from ${facts.eventsPrior7d} in the 7 before`,
    });
  const [before, last] = facts.lastBillsYuan.length >= 2 ? facts.lastBillsYuan.slice(-2) : [undefined, undefined];
  if (before !== undefined && last !== undefined && before > 0 && last < 0.8 * before)
    reasons.push({
      zh: `月消费从 ${yuan(before)} 降到 ${yuan(last)}`,
      en: `monthly bill fell from ${yuan(before)} to ${yuan(last)}`,
    });
  if (facts.cancels30d > 0)
    reasons.push({
      zh: `近30天退订 ${facts.cancels30d} 项业务`,
      en: `cancelled ${facts.cancels30d} service${facts.cancels30d > 1 ? 's' : ''} in 30 days`,
    });
  if (facts.tenureMonths < 12 && reasons.length > 0)
    reasons.push({ zh: '入网不足一年', en: 'customer for less than a year' });
  return reasons;
}

export function assessChurnRisk(
  facts: ChurnFacts,
  model: { score: number; modelVersion: string } | undefined,
): ChurnRisk {
  const reasons = churnReasons(facts);
  if (model) {
    const level: ChurnLevel = model.score >= HIGH_SCORE ? 'high' : model.score >= MEDIUM_SCORE ? 'medium' : 'low';
    return {
      level,
      label: levelLabels[level],
      score: model.score,
      source: 'model',
      modelVersion: model.modelVersion,
      reasons,
    };
  }
  // The tenure note only ever accompanies other reasons: count the drivers.
  const drivers = reasons.filter((r) => r.en !== 'customer for less than a year').length;
  const level: ChurnLevel = drivers >= 2 ? 'high' : drivers === 1 ? 'medium' : 'low';
  return { level, label: levelLabels[level], score: null, source: 'rules', modelVersion: null, reasons };
}

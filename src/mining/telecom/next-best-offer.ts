// Next-best offers: for each open account, the services it neither holds nor recently cancelled,
// ranked by a blend of the order propensity and the best cross-sell rule that its holdings fire.
import type { AssociationRule } from '../rules/index.ts';
import type { ServicePropensity, ServiceUptake } from './service-propensity.ts';

export interface Offer {
  msisdn: string;
  rank: number;
  service: string;
  score: number;
  propensity: number;
  ruleConfidence: number;
  reason: string;
}

/** Weight of the rule confidence in the blend (the propensity gets the rest). */
const RULE_WEIGHT = 0.3;

export function rankOffers(
  msisdns: readonly string[],
  propensities: readonly ServicePropensity[],
  rules: readonly AssociationRule[],
  uptake: ServiceUptake,
  perSubscriber = 3,
): Offer[] {
  const offers: Offer[] = [];
  // rules by the service they recommend, most confident first: the first that fires is the best
  const rulesFor = new Map<string, AssociationRule[]>();
  for (const rule of rules) {
    if (rule.consequent.length !== 1) continue;
    const list = rulesFor.get(rule.consequent[0]!) ?? [];
    list.push(rule);
    rulesFor.set(rule.consequent[0]!, list);
  }
  for (const list of rulesFor.values()) list.sort((a, b) => b.confidence - a.confidence);
  msisdns.forEach((msisdn, i) => {
    const held = uptake.heldAtEnd.get(msisdn) ?? new Set<string>();
    const cancelled = uptake.recentlyCancelled.get(msisdn) ?? new Set<string>();
    const candidates: Offer[] = [];
    for (const propensity of propensities) {
      const service = propensity.service;
      if (held.has(service) || cancelled.has(service)) continue;
      const best = rulesFor.get(service)?.find((rule) => rule.antecedent.every((item) => held.has(item))) ?? null;
      const p = propensity.scores[i]!;
      const c = best?.confidence ?? 0;
      candidates.push({
        msisdn,
        rank: 0,
        service,
        score: (1 - RULE_WEIGHT) * p + RULE_WEIGHT * c,
        propensity: p,
        ruleConfidence: c,
        reason: best
          ? `holds ${best.antecedent.join(' + ')} (rule confidence ${Math.round(c * 100)} %, lift ${best.lift.toFixed(1)})`
          : `propensity ${Math.round(p * 1000) / 10} %`,
      });
    }
    candidates.sort((a, b) => b.score - a.score || (a.service < b.service ? -1 : 1));
    candidates.slice(0, perSubscriber).forEach((offer, k) => {
      offers.push({ ...offer, rank: k + 1 });
    });
  });
  return offers;
}

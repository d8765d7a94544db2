// The demo's planted campaign truth: how subscribers answer a delivered campaign message, by offer.
// One offer works for one sub-group only (so a pilot's average hides where it works and uplift
// modelling has something to find); the other works for nobody. `telmark simulate-responses` draws
// from these numbers and the tests assert the found rules and uplifts against them.
// docs/demo-operator.md ("The planted campaign effect") explains it.
import { plantedPatterns } from './planted-patterns.ts';
import { brands } from '../feeds/contract.ts';
import type { Brand, ServiceKey } from './demo-catalogue.ts';

/** An attribute condition in the shape of the audience definition's attribute leaves. */
export type PlantedCondition =
  | { attribute: string; in: readonly string[] }
  | { attribute: string; between: readonly [number | null, number | null] };

/** What the simulator knows of a subscriber when it draws a response. */
export interface ResponseSubject {
  brand: string;
  /** Years, as of the delivery day: year(day) − birth_year, as the warehouse computes it. */
  age: number;
}

export interface PlantedOffer {
  /** The promoted service (`services.service_id`). */
  serviceId: string;
  /** `planted`: works in the sub-group; `none`: works for nobody (the check that no effect is found). */
  effect: 'planted' | 'none';
  /** Conditions (all must hold) of the sub-group the offer works in; empty for an offer without effect. */
  subGroup: readonly PlantedCondition[];
  /** Extra chance of ordering within the response window for a delivered message, in the sub-group. */
  extraInSubGroup: number;
  /** Extra chance everywhere else. */
  extraElsewhere: number;
}

export interface PlantedCampaignEffect {
  /** Days after delivery in which the extra order falls (the campaigns' default response window). */
  responseWindowDays: number;
  /** Only subscribers who do not hold the offered service can order it; holders never respond. */
  offers: readonly PlantedOffer[];
  /** Seed of the response draws (mixed with the number, the day and the service). */
  seed: number;
}

export const plantedCampaignEffect: PlantedCampaignEffect = {
  responseWindowDays: 7,
  offers: [
    {
      // 彩铃 for young M-Zone: few of them hold it yet (about one in five at the opening), so the
      // effect is large across the whole sub-group, not only among a handful of non-holders.
      serviceId: 'crbt',
      effect: 'planted',
      subGroup: [
        { attribute: 'age', between: [null, 25] },
        { attribute: 'brand', in: ['mzone'] },
      ],
      extraInSubGroup: 0.1,
      extraElsewhere: 0.003,
    },
    { serviceId: 'news', effect: 'none', subGroup: [], extraInSubGroup: 0, extraElsewhere: 0 },
  ],
  seed: 0x13c0ffee,
};

/** The offer with the planted effect and the one without (what the example campaign files promote). */
export const plantedOffer: PlantedOffer = plantedCampaignEffect.offers.find((o) => o.effect === 'planted')!;
export const noEffectOffer: PlantedOffer = plantedCampaignEffect.offers.find((o) => o.effect === 'none')!;

export function findPlantedOffer(serviceId: string): PlantedOffer | undefined {
  return plantedCampaignEffect.offers.find((o) => o.serviceId === serviceId);
}

/** True when the subject is in the offer's sub-group (false for an offer without one). */
export function inPlantedSubGroup(offer: PlantedOffer, subject: ResponseSubject): boolean {
  if (offer.subGroup.length === 0) return false;
  return offer.subGroup.every((condition) => holdsFor(condition, subject));
}

function holdsFor(condition: PlantedCondition, subject: ResponseSubject): boolean {
  const value = condition.attribute === 'age' ? subject.age : condition.attribute === 'brand' ? subject.brand : null;
  if (value === null) return false;
  if ('in' in condition) return condition.in.includes(String(value));
  const [low, high] = condition.between;
  const n = Number(value);
  return (low === null || n >= low) && (high === null || n < high);
}

/**
 * Extra chance that a non-holder orders the service within the response window after a delivered
 * message (0 for services without a planted offer). Holders never order what they hold.
 */
export function plantedExtraChance(serviceId: string, subject: ResponseSubject): number {
  const offer = findPlantedOffer(serviceId);
  if (!offer) return 0;
  return inPlantedSubGroup(offer, subject) ? offer.extraInSubGroup : offer.extraElsewhere;
}

/**
 * Daily chance that a non-holder orders the service without any message: the generator's organic
 * rate with its brand and age factors (area and cross-sell factors need the seed and are left out).
 * Contacted or not, everyone has it, so a control group responds too.
 */
export function baselineDailyChance(serviceId: string, subject: ResponseSubject): number {
  const key = serviceKeyOf(serviceId);
  if (key === undefined) return 0;
  const p = plantedPatterns.propensity;
  const brand = ((brands as readonly string[]).includes(subject.brand) ? subject.brand : 'other') as Brand;
  let value = p.base[key] * (p.brandFactor[brand][key] ?? 1);
  if (subject.age < 26) value *= p.youngFactor[key] ?? 1;
  if (subject.age >= 60) value *= p.elderFactor[key] ?? 1;
  return Math.min(p.cap, value) * plantedPatterns.orders.organicDailyFactor;
}

/** Chance of an order within the whole response window without a message. */
export function baselineWindowChance(serviceId: string, subject: ResponseSubject): number {
  const daily = baselineDailyChance(serviceId, subject);
  return 1 - (1 - daily) ** plantedCampaignEffect.responseWindowDays;
}

/** The catalogue key of a service id (`12580` is the directory service). */
function serviceKeyOf(serviceId: string): ServiceKey | undefined {
  const keys: Record<string, ServiceKey> = {
    crbt: 'crbt',
    news: 'news',
    '12580': 'directory',
    im: 'im',
    music: 'music',
    game: 'game',
    video: 'video',
    portal: 'portal',
  };
  return keys[serviceId];
}

// The whole subscriber base as typed arrays (about 60 bytes a subscriber): no object per
// subscriber survives the build, so a million subscribers fit in tens of MB.
import { brands } from '../feeds/contract.ts';
import { serviceCount } from './demo-catalogue.ts';
import { type SubscriberProfile, servicePropensity } from './subscriber-profile.ts';

export const NO_DAY = 32_767;

export const flagTraveller = 1;
export const flagComplainer = 2;
export const flagCompetitor = 4;

export interface SubscriberPopulation {
  count: number;
  county: Uint8Array;
  brand: Uint8Array;
  plan: Uint8Array;
  homeCell: Uint16Array;
  workCell: Uint16Array;
  otherCell: Uint16Array;
  flags: Uint8Array;
  activity: Float32Array;
  /** First day (offset from the start) with activity: the activation day, or negative. */
  firstDay: Int16Array;
  /** Day the account closes (offset), or NO_DAY. Nothing happens after it. */
  closeDay: Int16Array;
  /** Day of suspension (offset, before the start), or NO_DAY. Suspended accounts are silent. */
  suspendedDay: Int16Array;
  /** Services held now (mutable during generation), one bit per service. */
  holdings: Uint8Array;
  /** Held services the subscriber uses. */
  usesMask: Uint8Array;
  /** Held services still in their free months. */
  trialMask: Uint8Array;
  /** Per subscriber × service: day offset the trial ends (valid where trialMask is set). */
  trialEnd: Int16Array;
  /** Per subscriber × service: planted propensity × 255 (opening state). */
  propensity: Uint8Array;
}

export function allocatePopulation(count: number): SubscriberPopulation {
  return {
    count,
    county: new Uint8Array(count),
    brand: new Uint8Array(count),
    plan: new Uint8Array(count),
    homeCell: new Uint16Array(count),
    workCell: new Uint16Array(count),
    otherCell: new Uint16Array(count),
    flags: new Uint8Array(count),
    activity: new Float32Array(count),
    firstDay: new Int16Array(count),
    closeDay: new Int16Array(count),
    suspendedDay: new Int16Array(count),
    holdings: new Uint8Array(count),
    usesMask: new Uint8Array(count),
    trialMask: new Uint8Array(count),
    trialEnd: new Int16Array(count * serviceCount),
    propensity: new Uint8Array(count * serviceCount),
  };
}

export interface PopulationWindow {
  days: number;
  /** Day offset a trial held at the opening ends, from its planned offset (month arithmetic lives with the caller). */
  trialEndOf(profile: SubscriberProfile): number;
}

/**
 * Fills slot `i` from the subscriber's profile, adapting it to the window: new activations beyond
 * the window are folded into it, closures after the window are not closures.
 */
export function packSubscriber(
  population: SubscriberPopulation,
  profile: SubscriberProfile,
  window: PopulationWindow,
): void {
  const i = profile.index;
  population.county[i] = profile.countyIndex;
  population.brand[i] = brands.indexOf(profile.brand);
  population.plan[i] = profile.planIndex;
  population.homeCell[i] = profile.homeCell;
  population.workCell[i] = profile.workCell;
  population.otherCell[i] = profile.otherCell;
  population.flags[i] =
    (profile.traveller ? flagTraveller : 0) |
    (profile.complainer ? flagComplainer : 0) |
    (profile.competitorHeavy ? flagCompetitor : 0);
  population.activity[i] = profile.activity;
  population.firstDay[i] = firstDayOf(profile, window.days);
  population.closeDay[i] =
    profile.closeOffset !== null && profile.closeOffset < window.days ? profile.closeOffset : NO_DAY;
  population.suspendedDay[i] = profile.suspendedOffset ?? NO_DAY;
  population.holdings[i] = profile.holdings;
  population.usesMask[i] = profile.usesMask;
  if (profile.trialService >= 0) {
    population.trialMask[i] = 1 << profile.trialService;
    population.trialEnd[i * serviceCount + profile.trialService] = window.trialEndOf(profile);
  }
  for (let s = 0; s < serviceCount; s++)
    population.propensity[i * serviceCount + s] =
      profile.holdings & (1 << s) ? 0 : Math.round(servicePropensity(profile, s, profile.holdings) * 255);
}

/** Activation offset within the window: new subscribers beyond a short window are folded into it. */
export function firstDayOf(profile: SubscriberProfile, days: number): number {
  return profile.activatedOffset >= 0 ? profile.activatedOffset % days : Math.max(-32_000, profile.activatedOffset);
}

// One subscriber of the demo operator, computed from (seed, index) alone: where they live and work,
// brand, plan, age, tenure, traits, churn, and what they held at the opening. The population
// builder packs these into typed arrays; `plantedPropensity` recomputes one from a phone number.
import { areaTypes, brands } from '../feeds/contract.ts';
import {
  type Brand,
  demoServices,
  plansByBrand,
  type ServiceKey,
  serviceCount,
  serviceIndex,
} from './demo-catalogue.ts';
import { areaIndex, demoMap } from './demo-map.ts';
import { counties } from './heyuan-geography.ts';
import { plantedPatterns } from './planted-patterns.ts';
import { cumulativeOf, mixKey, SeededRandom } from '../shared/seeded-random.ts';

export type Segment = 'student' | 'worker' | 'resident' | 'elder' | 'rural';

export interface SubscriberProfile {
  index: number;
  countyIndex: number;
  segment: Segment;
  homeCell: number;
  workCell: number;
  otherCell: number;
  traveller: boolean;
  brand: Brand;
  planIndex: number;
  birthYear: number;
  gender: 'M' | 'F' | 'U';
  /** Days from the window start; negative = before it. New subscribers have 0..29. */
  activatedOffset: number;
  /** Days from the start when the account was suspended (before the start), or null. */
  suspendedOffset: number | null;
  /** Days from the start when the account closes (churn), or null. */
  closeOffset: number | null;
  complainer: boolean;
  competitorHeavy: boolean;
  /** Usage level, mean about 1. */
  activity: number;
  /** Services held the day before the start, one bit per `demoServices` entry. */
  holdings: number;
  /** Held services the subscriber actually uses. */
  usesMask: number;
  /** A trial held at the opening (service index), or -1. */
  trialService: number;
  /** Days from the start when that trial ends. */
  trialEndOffset: number;
}

/** Reference year for ages, fixed so that a profile does not depend on the window. */
export const REFERENCE_YEAR = 2026;
const PROFILE_STREAM = 1;

const segmentWeights: Record<'centre' | 'county', Record<Segment, number>> = {
  centre: { student: 0.14, worker: 0.4, resident: 0.26, elder: 0.12, rural: 0.08 },
  county: { student: 0.02, worker: 0.25, resident: 0.31, elder: 0.14, rural: 0.28 },
};
const brandWeights: Record<Segment, Record<Brand, number>> = {
  student: { gotone: 0.05, easyown: 0.2, mzone: plantedPatterns.areas.campusMzoneShare, other: 0 },
  worker: { gotone: 0.35, easyown: 0.46, mzone: 0.15, other: 0.04 },
  resident: { gotone: 0.15, easyown: 0.7, mzone: 0.13, other: 0.02 },
  elder: { gotone: 0.15, easyown: 0.85, mzone: 0, other: 0 },
  rural: { gotone: 0.05, easyown: 0.88, mzone: 0.07, other: 0 },
};
const ageRange: Record<Segment, [number, number]> = {
  student: [18, 23],
  worker: [23, 55],
  resident: [20, 64],
  elder: [60, 82],
  rural: [18, 75],
};
const activityByBrand: Record<Brand, number> = { gotone: 1.35, easyown: 0.85, mzone: 1.1, other: 0.5 };

/** Services in the order their opening holdings are drawn: the cross-sell sources before their targets. */
const holdingOrder: readonly number[] = (() => {
  const targets = new Set<number>(plantedPatterns.crossSell.map((p) => serviceIndex[p.to]));
  const all = demoServices.map((_, i) => i);
  return [...all.filter((i) => !targets.has(i)), ...all.filter((i) => targets.has(i))];
})();

interface Weighted<K> {
  keys: K[];
  cumulative: Float64Array;
}

function weighted<K extends string>(weights: Record<K, number>): Weighted<K> {
  const keys = Object.keys(weights) as K[];
  return { keys, cumulative: cumulativeOf(keys.map((k) => weights[k])) };
}

function pickKey<K>(random: SeededRandom, choice: Weighted<K>): K {
  return choice.keys[random.pickCumulative(choice.cumulative)]!;
}

const countyChoice = cumulativeOf(counties.map((c) => c.populationShare));
const segmentChoice = { centre: weighted(segmentWeights.centre), county: weighted(segmentWeights.county) };
const brandChoice = Object.fromEntries(
  Object.entries(brandWeights).map(([segment, weights]) => [segment, weighted(weights as Record<Brand, number>)]),
) as Record<Segment, Weighted<Brand>>;
const planChoice = Object.fromEntries(
  Object.entries(plansByBrand).map(([brand, plans]) => [brand, cumulativeOf(plans.map((p) => p.share))]),
) as Record<Brand, Float64Array>;
const serviceKeys = Object.keys(serviceIndex) as ServiceKey[];

/** Cell lists per county that the population draws from, built once. */
const placeLists = (() => {
  const map = demoMap();
  const of = (c: number, area: keyof typeof areaIndex) => map.cellsIn[c]![areaIndex[area]]!;
  return counties.map((_, c) => ({
    campus: of(c, 'campus'),
    rural: of(c, 'rural'),
    residential: of(c, 'residential'),
    office: of(c, 'office'),
    commercial: of(c, 'commercial'),
    station: of(c, 'station'),
    workNamed: [...of(c, 'office'), ...of(c, 'commercial')],
    leisure: [...of(c, 'commercial'), ...of(c, 'scenic')],
    regionLeisure: [...map.regionCells.commercial, ...map.regionCells.scenic],
    regionStations: map.regionCells.station,
  }));
})();

const scratchRandom = new SeededRandom(0);

export function describeSubscriber(seed: number, index: number): SubscriberProfile {
  const random = scratchRandom.reseed(mixKey(seed, index, PROFILE_STREAM));
  let county = random.pickCumulative(countyChoice);
  const segment = pickKey(random, segmentChoice[county === 0 ? 'centre' : 'county']);
  if (segment === 'student') county = 0;
  const here = placeLists[county]!;
  const centre = placeLists[0]!;
  const homeCell =
    segment === 'student'
      ? random.pick(here.campus)
      : segment === 'rural'
        ? random.pick(here.rural)
        : random.pick(here.residential);
  let workCell = homeCell;
  if (segment === 'student') workCell = random.pick(here.campus);
  else if (segment === 'worker') {
    const u = random.next();
    if (county <= 1)
      workCell =
        u < 0.5
          ? random.pick(centre.office)
          : u < 0.75
            ? random.pick(centre.commercial)
            : u < 0.8
              ? random.pick(centre.station)
              : random.pick(here.residential);
    else workCell = u < 0.6 && here.workNamed.length > 0 ? random.pick(here.workNamed) : random.pick(here.residential);
  } else if (segment === 'rural' && random.chance(0.3)) workCell = random.pick(here.rural);
  const traveller = segment !== 'elder' && random.chance(segment === 'worker' ? 0.15 : 0.07);
  let otherCell: number;
  if (traveller)
    otherCell =
      here.station.length > 0 && random.chance(0.6) ? random.pick(here.station) : random.pick(here.regionStations);
  else
    otherCell =
      here.leisure.length === 0 || random.chance(0.3) ? random.pick(here.regionLeisure) : random.pick(here.leisure);
  const countyIndex = county;
  let brand = pickKey(random, brandChoice[segment]);
  const [ageLow, ageHigh] = ageRange[segment];
  const age = random.between(ageLow, ageHigh);
  if (age < 26 && brand === 'easyown' && random.chance(0.4)) brand = 'mzone';
  const plans = plansByBrand[brand];
  const planIndex = plans[random.pickCumulative(planChoice[brand])]!.plan;
  const genderDraw = random.next();
  const gender = genderDraw < 0.52 ? 'M' : genderDraw < 0.98 ? 'F' : 'U';
  const activity = activityByBrand[brand] * Math.exp(0.5 * random.normal() - 0.125);

  const newlyActivated = random.chance(0.015);
  const maxTenure = brand === 'gotone' ? 4000 : segment === 'student' ? 1400 : 3000;
  const activatedOffset = newlyActivated ? random.int(30) : -random.between(70, maxTenure);
  const suspended = !newlyActivated && random.chance(0.012);
  const suspendedOffset = suspended ? -random.between(1, Math.min(180, -activatedOffset)) : null;
  const { churn } = plantedPatterns;
  const complainer = random.chance(churn.complaints.prevalence);
  const competitorHeavy = random.chance(churn.competitorPeers.prevalence);
  const churnChance =
    churn.baseProbability *
    (complainer ? churn.complaints.lift : 1) *
    (competitorHeavy ? churn.competitorPeers.lift : 1) *
    (activatedOffset > -365 ? 1.4 : 1);
  const closeOffset =
    !suspended && !newlyActivated && random.chance(churnChance) ? random.between(3, churn.closeWindowDays - 1) : null;

  const profile: SubscriberProfile = {
    index,
    countyIndex,
    segment,
    homeCell,
    workCell,
    otherCell,
    traveller,
    brand,
    planIndex,
    birthYear: REFERENCE_YEAR - age,
    gender,
    activatedOffset,
    suspendedOffset,
    closeOffset,
    complainer,
    competitorHeavy,
    activity,
    holdings: 0,
    usesMask: 0,
    trialService: -1,
    trialEndOffset: 0,
  };
  if (newlyActivated) return profile;
  for (const s of holdingOrder) {
    const chance = Math.min(0.9, servicePropensity(profile, s, profile.holdings) * plantedPatterns.openingHoldingScale);
    if (random.chance(chance)) {
      profile.holdings |= 1 << s;
      if (random.chance(plantedPatterns.orders.usesHeldService)) profile.usesMask |= 1 << s;
    }
  }
  for (const [key, share] of Object.entries(plantedPatterns.trial.openingCohortShare)) {
    const s = serviceIndex[key as ServiceKey];
    if (profile.trialService >= 0 || profile.holdings & (1 << s) || !random.chance(share ?? 0)) continue;
    profile.trialService = s;
    profile.trialEndOffset = random.between(3, 28);
    profile.holdings |= 1 << s;
    if (random.chance(plantedPatterns.trial.usedDuringTrial)) profile.usesMask |= 1 << s;
  }
  return profile;
}

/**
 * The planted propensity of a subscriber to order service `s` (0..cap), given the services held:
 * base × brand × area (home and work) × traveller × age × the cross-sell lifts of held services.
 */
export function servicePropensity(profile: SubscriberProfile, s: number, holdings: number): number {
  const t = propensityTables;
  let value = t.base[s]! * t.brand[brands.indexOf(profile.brand) * serviceCount + s]!;
  const homeArea = t.areaOfCell[profile.homeCell]!;
  const workArea = t.areaOfCell[profile.workCell]!;
  value *= t.area[homeArea * serviceCount + s]!;
  if (workArea !== homeArea) value *= t.area[workArea * serviceCount + s]!;
  if (profile.traveller) value *= t.traveller[s]!;
  const age = REFERENCE_YEAR - profile.birthYear;
  if (age < 26) value *= t.young[s]!;
  if (age >= 60) value *= t.elder[s]!;
  const sources = t.crossSellSources[s]!;
  for (let k = 0; k < sources.length; k++) if (holdings & (1 << sources[k]!)) value *= t.crossSellLifts[s]![k]!;
  return Math.min(t.cap, value);
}

/** `plantedPatterns.propensity` as numeric tables (row × service), built once: lookups by name are slow. */
const propensityTables = (() => {
  const p = plantedPatterns.propensity;
  const row = (factors: Partial<Record<ServiceKey, number>> | undefined) =>
    serviceKeys.map((key) => factors?.[key] ?? 1);
  return {
    base: Float64Array.from(serviceKeys.map((key) => p.base[key])),
    brand: Float64Array.from(brands.flatMap((b) => row(p.brandFactor[b]))),
    area: Float64Array.from(areaTypes.flatMap((a) => row(p.areaFactor[a]))),
    areaOfCell: demoMap().areaOfCell,
    traveller: Float64Array.from(row(p.travellerFactor)),
    young: Float64Array.from(row(p.youngFactor)),
    elder: Float64Array.from(row(p.elderFactor)),
    crossSellSources: serviceKeys.map((key) =>
      plantedPatterns.crossSell.filter((c) => c.to === key).map((c) => serviceIndex[c.from] as number),
    ),
    crossSellLifts: serviceKeys.map((key) => plantedPatterns.crossSell.filter((c) => c.to === key).map((c) => c.lift)),
    cap: p.cap,
  };
})();

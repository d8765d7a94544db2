// Seeded synthetic pilots with a known sub-group, for tests and benchmarks: contacting works only for
// M-Zone subscribers under 25 (plus an optional small effect elsewhere), while who responds anyway
// depends on brand and age in both arms, so a response model and an uplift model disagree.
import { createSeededRandom } from '../../shared/seeded-random.ts';
import type { UpliftSample } from './uplift-types.ts';

export interface SyntheticPilotOptions {
  size: number;
  seed: number;
  /** Extra response chance of contacted subscribers under 25 of brand mzone. */
  effectInGroup: number;
  /** Extra response chance of every other contacted subscriber. */
  effectElsewhere?: number;
  controlShare?: number;
}

const brands = ['gotone', 'easyown', 'mzone'];
const counties = ['源城', '东源', '和平', '龙川', '紫金', '连平'];
const areas = ['campus', 'residential', 'office', 'rural', null];

export function syntheticPilot(options: SyntheticPilotOptions): UpliftSample[] {
  const random = createSeededRandom(options.seed);
  const samples: UpliftSample[] = [];
  for (let i = 0; i < options.size; i++) {
    const brand = brands[random.int(brands.length)]!;
    const age = 16 + random.int(60);
    const tenure = random.int(120);
    const arpu = Math.round(random.next() * 20000) / 100;
    const treated = !random.chance(options.controlShare ?? 0.3);
    // Who responds anyway depends on brand and age too: a response model would find them, uplift must not.
    const base = 0.02 + (brand === 'gotone' ? 0.03 : 0) + (age < 30 ? 0.02 : 0);
    const inGroup = age < 25 && brand === 'mzone';
    const extra = treated ? (inGroup ? options.effectInGroup : (options.effectElsewhere ?? 0)) : 0;
    samples.push({
      features: {
        brand,
        age,
        county: counties[random.int(counties.length)]!,
        area_type: areas[random.int(areas.length)]!,
        tenure_months: tenure,
        arpu,
        gender: random.chance(0.5) ? 'M' : 'F',
      },
      treated,
      responded: random.chance(base + extra),
    });
  }
  return samples;
}

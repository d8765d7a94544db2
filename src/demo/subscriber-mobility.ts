// Where a subscriber is in a given hour: home at night, work on weekday office hours, their usual
// other place (a station for travellers) in evenings and weekends, now and then an errand elsewhere.
// A pure function of (seed, subscriber, day, hour), so the IVR and signalling passes agree.
import type { GenerationContext } from './generation-context.ts';
import { plantedPatterns } from './planted-patterns.ts';
import { mix32, mixKey } from '../shared/seeded-random.ts';
import { flagTraveller } from './subscriber-population.ts';

const MOBILITY_STREAM = 7;

/** Cell index of subscriber `i` during `hour` of day offset `day`. */
export function cellAt(context: GenerationContext, i: number, day: number, hour: number, weekend: boolean): number {
  const population = context.population;
  const home = population.homeCell[i]!;
  if (hour < 7 || hour >= 22) return home;
  const dayKey = mixKey(context.seed, i, day, MOBILITY_STREAM);
  const draw = mix32(dayKey ^ (hour * 0x9e3779b1)) / 4294967296;
  const work = population.workCell[i]!;
  const other = outingCell(context, i, dayKey);
  const officeHours = (hour >= 8 && hour < 12) || (hour >= 13 && hour < 18);
  if (officeHours && work !== home) {
    const presence = weekend ? plantedPatterns.weekly.weekend.workPresence : 0.9;
    return draw < presence ? work : draw < presence + 0.1 ? other : home;
  }
  if (hour >= 18) return draw < 0.25 ? other : home;
  if (weekend && hour >= 9) return draw < 0.45 ? other : home;
  return draw < 0.1 ? other : home;
}

/** The day's place away from home and work: the usual one, or an errand to a random named place. */
function outingCell(context: GenerationContext, i: number, dayKey: number): number {
  const population = context.population;
  const draw = mix32(dayKey ^ 0x51ed27) / 4294967296;
  const traveller = (population.flags[i]! & flagTraveller) !== 0;
  const { regionCells } = context.map;
  if (traveller && draw < 0.3) {
    const stations = regionCells.station;
    return stations[mix32(dayKey ^ 0x7a11) % stations.length]!;
  }
  if (draw > 0.85) {
    const places = draw > 0.95 ? regionCells.scenic : regionCells.commercial;
    return places[mix32(dayKey ^ 0x3c6e) % places.length]!;
  }
  return population.otherCell[i]!;
}

// IVR calls of one subscriber on one day: 114, 12580, 12590 and 10086, with menus that depend on
// where the caller is (a station cell means travel menus and more 114). Replayable from the seed,
// so the signalling pass emits the same calls as `call_out` events with the access code as peer.
import { areaTypes } from '../feeds/contract.ts';
import { serviceIndex } from './demo-catalogue.ts';
import { type GenerationContext, hourCumulative } from './generation-context.ts';
import type { AreaType } from './heyuan-geography.ts';
import { plantedPatterns } from './planted-patterns.ts';
import { cumulativeOf, mixKey, SeededRandom } from '../shared/seeded-random.ts';
import { cellAt } from './subscriber-mobility.ts';
import { flagComplainer } from './subscriber-population.ts';

export const ivrAccessCodes = ['114', '12580', '12590', '10086'] as const;
const CODE_114 = 0;
const CODE_12580 = 1;
const CODE_12590 = 2;
const CODE_10086 = 3;
const IVR_STREAM = 3;

/** Daily call rates per subscriber at activity 1, before the area lift. */
const dailyRate = { code114: 0.02, code12580: 0.012, code12590: 0.006, query10086: 0.012 };
const holder12580Lift = 3;

type MenuWeights = Record<string, number>;
const travelMenus: MenuWeights = {
  'travel/train': 35,
  'travel/bus': 25,
  'travel/flight': 10,
  'travel/hotel': 20,
  'life/weather': 10,
};
const menus12580: Record<AreaType, MenuWeights> = {
  station: travelMenus,
  campus: { 'entertainment/movie': 30, 'food/restaurant': 40, 'shopping/deals': 15, 'life/weather': 15 },
  commercial: { 'food/restaurant': 35, 'shopping/mall': 35, 'entertainment/movie': 15, 'life/weather': 15 },
  office: { 'food/delivery': 35, 'travel/hotel': 15, 'travel/flight': 15, 'life/weather': 35 },
  scenic: { 'travel/hotel': 40, 'food/restaurant': 40, 'travel/bus': 20 },
  residential: { 'life/weather': 35, 'life/housekeeping': 25, 'food/restaurant': 20, 'medical/hospital': 20 },
  rural: { 'life/weather': 45, 'agri/market': 25, 'medical/hospital': 20, 'travel/bus': 10 },
  other: { 'life/weather': 50, 'food/restaurant': 50 },
};
const menus114Station: MenuWeights = { 'travel/train': 50, 'travel/bus': 30, 'directory/number': 20 };
const menus114: MenuWeights = { 'directory/number': 70, 'directory/business': 30 };
const menus12590: MenuWeights = { 'info/horoscope': 40, 'info/joke': 30, 'info/news': 30 };
const menusComplaint: MenuWeights = { 'complaint/billing': 50, 'complaint/network': 30, 'query/balance': 20 };
const menus10086: MenuWeights = { 'query/balance': 50, 'query/package': 30, 'service/order': 20 };

interface MenuTable {
  names: string[];
  cumulative: Float64Array;
}
const table = (weights: MenuWeights): MenuTable => ({
  names: Object.keys(weights),
  cumulative: cumulativeOf(Object.values(weights)),
});
const menuTables12580 = areaTypes.map((a) => table(menus12580[a]));
const menuTable114Station = table(menus114Station);
const menuTable114 = table(menus114);
const menuTable12590 = table(menus12590);
const menuTableComplaint = table(menusComplaint);
const menuTable10086 = table(menus10086);
const ivrLifts = areaTypes.map((a) => plantedPatterns.areas.ivrLift[a]);
const maxLift = Math.max(...ivrLifts);
const stationArea = areaTypes.indexOf('station');

/** Called once per IVR call, in generation order (not time order). */
export type IvrCallVisitor = (second: number, code: number, menu: string, durationSec: number, cell: number) => void;

const random = new SeededRandom(0);

/**
 * Generates subscriber `i`'s IVR calls on day offset `day` at usage level `activity` (which already
 * includes a churner's decline). Only calls whose hour is `onlyHour` are visited when it is given.
 */
export function forEachIvrCall(
  context: GenerationContext,
  call: { i: number; day: number; weekend: boolean; activity: number; onlyHour?: number },
  visit: IvrCallVisitor,
): void {
  const { i, day, weekend, activity } = call;
  const population = context.population;
  random.reseed(mixKey(context.seed, i, day, IVR_STREAM));
  const holds12580 = (population.holdings[i]! & (1 << serviceIndex.directory)) !== 0;
  const rate12580 =
    dailyRate.code12580 * (holds12580 ? holder12580Lift : 1) * (weekend ? plantedPatterns.weekly.weekend.ivr12580 : 1);
  const directoryRate = dailyRate.code114 + rate12580 + dailyRate.code12590;
  const candidates = random.poisson(directoryRate * activity * maxLift);
  for (let k = 0; k < candidates; k++) {
    const hour = random.pickCumulative(hourCumulative);
    const second = hour * 3600 + random.int(3600);
    const cell = cellAt(context, i, day, hour, weekend);
    const area = context.map.areaOfCell[cell]!;
    if (random.next() * maxLift >= ivrLifts[area]!) continue;
    let code: number;
    const u = random.next();
    if (area === stationArea) {
      const share114 = plantedPatterns.areas.stationShareOf114;
      code = u < share114 ? CODE_114 : u < share114 + (1 - share114) * 0.85 ? CODE_12580 : CODE_12590;
    } else {
      const x = u * directoryRate;
      code = x < dailyRate.code114 ? CODE_114 : x < dailyRate.code114 + rate12580 ? CODE_12580 : CODE_12590;
    }
    const menus =
      code === CODE_114
        ? area === stationArea
          ? menuTable114Station
          : menuTable114
        : code === CODE_12580
          ? menuTables12580[area]!
          : menuTable12590;
    const menu = menus.names[random.pickCumulative(menus.cumulative)]!;
    const duration =
      code === CODE_114
        ? random.between(20, 120)
        : code === CODE_12580
          ? random.between(40, 300)
          : random.between(60, 600);
    if (call.onlyHour === undefined || call.onlyHour === hour) visit(second, code, menu, duration, cell);
  }
  const complainer = (population.flags[i]! & flagComplainer) !== 0;
  const calls10086 = random.poisson(
    complainer ? plantedPatterns.churn.complaints.callsPerDay : dailyRate.query10086 * activity,
  );
  for (let k = 0; k < calls10086; k++) {
    const hour = random.pickCumulative(hourCumulative);
    const second = hour * 3600 + random.int(3600);
    const menus = complainer && random.chance(0.8) ? menuTableComplaint : menuTable10086;
    const menu = menus.names[random.pickCumulative(menus.cumulative)]!;
    const duration = menus === menuTableComplaint ? random.between(120, 900) : random.between(30, 150);
    if (call.onlyHour === undefined || call.onlyHour === hour)
      visit(second, CODE_10086, menu, duration, cellAt(context, i, day, hour, weekend));
  }
}

/** Information fee of a call in fen (12580 and 12590 charge per call; 114 and 10086 are free). */
export const ivrFeeFen: readonly number[] = [0, 50, 100, 0];

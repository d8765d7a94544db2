// The demo operator's map: the city of Heyuan (河源), its six counties, its named places and the
// cells that cover them. Fixed for every seed (cells are jittered by a constant key), so that
// analyses can name places in tests and docs.
import type { areaTypes } from '../feeds/contract.ts';
import { mixKey, SeededRandom } from '../shared/seeded-random.ts';

export type AreaType = (typeof areaTypes)[number];

export const regionName = '河源';

export interface County {
  name: string;
  lac: number;
  lat: number;
  lon: number;
  /** Share of the subscriber base living in the county. */
  populationShare: number;
  /** Residential and rural cells besides the named places. */
  residentialCells: number;
  ruralCells: number;
}

export const counties: readonly County[] = [
  { name: '源城', lac: 9501, lat: 23.744, lon: 114.698, populationShare: 0.3, residentialCells: 60, ruralCells: 8 },
  { name: '东源', lac: 9502, lat: 23.79, lon: 114.746, populationShare: 0.14, residentialCells: 25, ruralCells: 16 },
  { name: '和平', lac: 9503, lat: 24.443, lon: 114.938, populationShare: 0.13, residentialCells: 22, ruralCells: 16 },
  { name: '龙川', lac: 9504, lat: 24.101, lon: 115.259, populationShare: 0.19, residentialCells: 30, ruralCells: 18 },
  { name: '紫金', lac: 9505, lat: 23.635, lon: 115.184, populationShare: 0.15, residentialCells: 25, ruralCells: 16 },
  { name: '连平', lac: 9506, lat: 24.37, lon: 114.488, populationShare: 0.09, residentialCells: 18, ruralCells: 14 },
];

export interface NamedPlace {
  name: string;
  county: string;
  areaType: AreaType;
  lat: number;
  lon: number;
  cells: number;
}

export const namedPlaces: readonly NamedPlace[] = [
  { name: '火车站', county: '源城', areaType: 'station', lat: 23.7296, lon: 114.6862, cells: 6 },
  { name: '汽车站', county: '源城', areaType: 'station', lat: 23.7418, lon: 114.6984, cells: 4 },
  { name: '大学城', county: '源城', areaType: 'campus', lat: 23.7052, lon: 114.7421, cells: 10 },
  { name: '河源职业技术学院', county: '源城', areaType: 'campus', lat: 23.7138, lon: 114.7196, cells: 6 },
  { name: '广晟广场', county: '源城', areaType: 'commercial', lat: 23.7447, lon: 114.6968, cells: 6 },
  { name: '文明路', county: '源城', areaType: 'commercial', lat: 23.7431, lon: 114.7003, cells: 5 },
  { name: '高新区', county: '源城', areaType: 'office', lat: 23.6972, lon: 114.7283, cells: 10 },
  { name: '市政府', county: '源城', areaType: 'office', lat: 23.7463, lon: 114.6972, cells: 4 },
  { name: '茶山公园', county: '源城', areaType: 'scenic', lat: 23.7372, lon: 114.6903, cells: 3 },
  { name: '万绿湖', county: '东源', areaType: 'scenic', lat: 23.8205, lon: 114.6402, cells: 6 },
  { name: '仙塘镇中心', county: '东源', areaType: 'commercial', lat: 23.7913, lon: 114.7452, cells: 3 },
  { name: '和平汽车站', county: '和平', areaType: 'station', lat: 24.4415, lon: 114.9368, cells: 2 },
  { name: '阳明镇中心', county: '和平', areaType: 'commercial', lat: 24.4436, lon: 114.9402, cells: 3 },
  { name: '龙川火车站', county: '龙川', areaType: 'station', lat: 24.0867, lon: 115.2508, cells: 3 },
  { name: '老隆镇中心', county: '龙川', areaType: 'commercial', lat: 24.1012, lon: 115.2593, cells: 4 },
  { name: '佗城', county: '龙川', areaType: 'scenic', lat: 24.0461, lon: 115.2157, cells: 2 },
  { name: '紫金汽车站', county: '紫金', areaType: 'station', lat: 23.6339, lon: 115.1826, cells: 2 },
  { name: '紫城镇中心', county: '紫金', areaType: 'commercial', lat: 23.6352, lon: 115.1844, cells: 3 },
  { name: '连平县政府', county: '连平', areaType: 'office', lat: 24.3702, lon: 114.4884, cells: 2 },
  { name: '元善镇中心', county: '连平', areaType: 'commercial', lat: 24.3712, lon: 114.4893, cells: 3 },
];

export interface DemoCell {
  cellId: string;
  lac: number;
  ci: number;
  name: string;
  lat: number;
  lon: number;
  county: string;
  countyIndex: number;
  areaType: AreaType;
  /** Index in `namedPlaces`, or -1 for residential and rural cells. */
  placeIndex: number;
}

const GEOGRAPHY_KEY = 0x0762;

/** Every cell of the demo operator, in a fixed order (the order of cells.csv). */
export function buildCells(): DemoCell[] {
  const random = new SeededRandom(mixKey(GEOGRAPHY_KEY, 1));
  const cells: DemoCell[] = [];
  const nextCi = new Map<number, number>();
  const add = (
    countyIndex: number,
    fields: { name: string; lat: number; lon: number; areaType: AreaType; placeIndex: number; spread: number },
  ) => {
    const county = counties[countyIndex]!;
    const ci = (nextCi.get(county.lac) ?? 10_001) + random.between(1, 9);
    nextCi.set(county.lac, ci);
    cells.push({
      cellId: `${county.lac}-${ci}`,
      lac: county.lac,
      ci,
      name: fields.name,
      lat: round5(fields.lat + (random.next() - 0.5) * fields.spread),
      lon: round5(fields.lon + (random.next() - 0.5) * fields.spread),
      county: county.name,
      countyIndex,
      areaType: fields.areaType,
      placeIndex: fields.placeIndex,
    });
  };
  namedPlaces.forEach((place, placeIndex) => {
    const countyIndex = counties.findIndex((c) => c.name === place.county);
    for (let k = 1; k <= place.cells; k++)
      add(countyIndex, { ...place, name: `${place.name}${k}`, placeIndex, spread: 0.008 });
  });
  counties.forEach((county, countyIndex) => {
    for (let k = 1; k <= county.residentialCells; k++)
      add(countyIndex, {
        name: `${county.name}居民区${k}`,
        lat: county.lat,
        lon: county.lon,
        areaType: 'residential',
        placeIndex: -1,
        spread: countyIndex === 0 ? 0.08 : 0.05,
      });
    for (let k = 1; k <= county.ruralCells; k++)
      add(countyIndex, {
        name: `${county.name}乡村${k}`,
        lat: county.lat,
        lon: county.lon,
        areaType: 'rural',
        placeIndex: -1,
        spread: 0.35,
      });
  });
  return cells;
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

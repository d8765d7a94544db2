// The cells of the demo operator indexed the ways the population needs them: by county and area
// type, plus the named places. Built once per process (the map does not depend on the seed).
import { type AreaType, buildCells, counties, type DemoCell } from './heyuan-geography.ts';
import { areaTypes } from '../feeds/contract.ts';

export interface DemoMap {
  cells: readonly DemoCell[];
  /** Area type of each cell as an index into `areaTypes`. */
  areaOfCell: Uint8Array;
  /** cellsIn[county][areaType] = cell indices. */
  cellsIn: readonly (readonly (readonly number[])[])[];
  /** Cells of named places of a type anywhere in the region. */
  regionCells: Record<AreaType, readonly number[]>;
}

let cached: DemoMap | undefined;

export function demoMap(): DemoMap {
  if (cached) return cached;
  const cells = buildCells();
  const cellsIn = counties.map(() => areaTypes.map(() => [] as number[]));
  const regionCells = Object.fromEntries(areaTypes.map((t) => [t, [] as number[]])) as Record<AreaType, number[]>;
  const areaOfCell = new Uint8Array(cells.length);
  cells.forEach((cell, i) => {
    const area = areaTypes.indexOf(cell.areaType);
    areaOfCell[i] = area;
    cellsIn[cell.countyIndex]![area]!.push(i);
    regionCells[cell.areaType].push(i);
  });
  cached = { cells, areaOfCell, cellsIn, regionCells };
  return cached;
}

export const areaIndex = Object.fromEntries(areaTypes.map((t, i) => [t, i])) as Record<AreaType, number>;

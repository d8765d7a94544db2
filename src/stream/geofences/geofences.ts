// Named areas over the cells: listed cells, cells of an area type / county / region, or cells within a
// radius of a centre. Each geofence keeps a stable numeric id for the state arrays; the cell → fences
// table is rebuilt whenever a geofence or the cell directory changes.
import { AppError } from '../../shared/errors.ts';
import type { CellDirectory } from './cell-directory.ts';

export interface GeofenceDefinition {
  id: string;
  /** Display name, e.g. 火车站. */
  name?: string;
  cells?: string[];
  area_type?: string[];
  county?: string[];
  region?: string[];
  centre?: { lat: number; lon: number } | { cell: string };
  radius_m?: number;
}

const EMPTY = new Int16Array(0);

export class Geofences {
  private readonly ids = new Map<string, number>();
  private readonly definitions: (GeofenceDefinition | undefined)[] = [];
  private table: Int16Array[] = [];
  private builtFor = -1;
  private readonly cellCount: number[] = [];

  constructor(private readonly directory: CellDirectory) {}

  /** Adds or replaces a geofence; returns its stable id. */
  define(definition: GeofenceDefinition): number {
    let id = this.ids.get(definition.id);
    if (id === undefined) {
      id = this.definitions.length;
      if (id > 32000) throw new AppError('RULE_INVALID', 'too many geofences (at most 32000)');
      this.ids.set(definition.id, id);
    }
    if (
      'cell' in (definition.centre ?? {}) &&
      this.directory.find((definition.centre as { cell: string }).cell) === undefined
    )
      throw new AppError(
        'RULE_INVALID',
        `geofence ${definition.id}: centre cell ${(definition.centre as { cell: string }).cell} is not in the cells feed`,
        {
          location: { path: `geofences.${definition.id}.centre.cell` },
        },
      );
    this.definitions[id] = definition;
    this.builtFor = -1;
    return id;
  }

  remove(name: string): void {
    const id = this.ids.get(name);
    if (id === undefined) return;
    this.definitions[id] = undefined;
    this.builtFor = -1;
  }

  idOf(name: string): number | undefined {
    const id = this.ids.get(name);
    return id !== undefined && this.definitions[id] ? id : undefined;
  }

  definition(id: number): GeofenceDefinition | undefined {
    return this.definitions[id];
  }

  nameOf(id: number): string {
    return this.definitions[id]?.id ?? `#${id}`;
  }

  all(): GeofenceDefinition[] {
    return this.definitions.filter((d): d is GeofenceDefinition => d !== undefined);
  }

  /** Geofence ids containing the cell. */
  fencesOfCell(cell: number): Int16Array {
    if (this.builtFor !== this.directory.version) this.build();
    return this.table[cell] ?? EMPTY;
  }

  /** Cells in each geofence, after the last build. */
  cellsIn(id: number): number[] {
    if (this.builtFor !== this.directory.version) this.build();
    const out: number[] = [];
    this.table.forEach((fences, cell) => {
      if (fences.includes(id)) out.push(cell);
    });
    return out;
  }

  cellCountOf(id: number): number {
    if (this.builtFor !== this.directory.version) this.build();
    return this.cellCount[id] ?? 0;
  }

  private build(): void {
    const lists: number[][] = this.directory.cells.map(() => []);
    this.cellCount.length = 0;
    this.definitions.forEach((definition, id) => {
      if (!definition) return;
      const members = cellsOf(definition, this.directory);
      this.cellCount[id] = members.length;
      for (const cell of members) lists[cell]!.push(id);
    });
    this.table = lists.map((l) => (l.length === 0 ? EMPTY : Int16Array.from(l)));
    this.builtFor = this.directory.version;
  }
}

function cellsOf(definition: GeofenceDefinition, directory: CellDirectory): number[] {
  const members = new Set<number>();
  for (const cellId of definition.cells ?? []) {
    const at = directory.find(cellId);
    if (at !== undefined) members.add(at);
  }
  const hasFilter =
    definition.area_type !== undefined ||
    definition.county !== undefined ||
    definition.region !== undefined ||
    definition.centre !== undefined;
  if (!hasFilter) return [...members];
  let centre: { lat: number; lon: number } | undefined;
  if (definition.centre) {
    if ('cell' in definition.centre) {
      const cell = directory.cells[directory.find(definition.centre.cell)!]!;
      centre = { lat: cell.lat, lon: cell.lon };
    } else centre = definition.centre;
  }
  const radius = definition.radius_m ?? 500;
  directory.cells.forEach((cell, at) => {
    if (definition.area_type && !definition.area_type.includes(cell.areaType)) return;
    if (definition.county && !definition.county.includes(cell.county)) return;
    if (definition.region && !definition.region.includes(cell.region)) return;
    if (centre && !(distanceMetres(centre.lat, centre.lon, cell.lat, cell.lon) <= radius)) return;
    members.add(at);
  });
  return [...members].sort((a, b) => a - b);
}

/** Great-circle distance (haversine) in metres. */
export function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

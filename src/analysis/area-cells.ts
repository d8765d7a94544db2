// The cells of an area for the offline area view: a stored geofence (stream_geofences, the same areas
// the real-time triggers watch) narrowed by the request's area type, county and region filters. The
// geofence rule is the stream's (src/stream/geofences/geofences.ts): listed cells, plus the cells that
// pass every given attribute and the radius. It is repeated here because the analyses sit below the
// stream layer; test/analysis/area-view.test.ts checks both give the same cells.
import { AppError } from '../shared/errors.ts';
import type { AnalysisContext } from './analysis-context.ts';

export interface AreaCell {
  [key: string]: unknown;
  cell_id: string;
  name: string;
  county: string;
  region: string;
  area_type: string;
  lat: number;
  lon: number;
}

interface StoredGeofence {
  id: string;
  name?: string;
  cells?: string[];
  area_type?: string | string[];
  county?: string | string[];
  region?: string | string[];
  centre?: { lat: number; lon: number } | { cell: string };
  radius_m?: number;
}

export interface AreaSelection {
  cells: AreaCell[];
  /** Display name of the area: the geofence's name or id, else empty. */
  name: string;
}

export async function areaCells(context: AnalysisContext, geofenceId: string | undefined): Promise<AreaSelection> {
  const cells = await context.warehouse.all<AreaCell>(
    'SELECT cell_id, name, county, region, area_type, lat, lon FROM cells ORDER BY cell_id',
  );
  let chosen = cells;
  let name = '';
  if (geofenceId) {
    const row = await context.warehouse.one<{ definition: string }>(
      'SELECT CAST(definition AS VARCHAR) AS definition FROM stream_geofences WHERE geofence_id = ?',
      [geofenceId],
    );
    if (!row) {
      const known = await context.warehouse.all<{ id: string }>(
        'SELECT geofence_id AS id FROM stream_geofences ORDER BY 1 LIMIT 12',
      );
      throw new AppError('NOT_FOUND', `no geofence "${geofenceId}"`, {
        location: { field: 'geofence' },
        hint: known.length
          ? `stored geofences: ${known.map((k) => k.id).join(', ')}`
          : 'no geofence is stored yet: add one with the rules (telmark rules apply) or pick an area type',
      });
    }
    const fence = JSON.parse(row.definition) as StoredGeofence;
    chosen = cellsOfGeofence(fence, cells);
    name = fence.name ?? fence.id;
  }
  const { area_type, county, region } = context.filters;
  chosen = chosen.filter(
    (c) =>
      (!area_type || area_type.includes(c.area_type)) &&
      (!county || county.includes(c.county)) &&
      (!region || region.includes(c.region)),
  );
  return { cells: chosen, name };
}

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function cellsOfGeofence(fence: StoredGeofence, cells: readonly AreaCell[]): AreaCell[] {
  const members = new Set<string>(fence.cells ?? []);
  const areaTypes = list(fence.area_type);
  const counties = list(fence.county);
  const regions = list(fence.region);
  const hasFilter = areaTypes || counties || regions || fence.centre;
  if (hasFilter) {
    let centre: { lat: number; lon: number } | undefined;
    if (fence.centre) {
      if ('cell' in fence.centre) {
        const at = fence.centre.cell;
        const cell = cells.find((c) => c.cell_id === at);
        if (cell) centre = { lat: cell.lat, lon: cell.lon };
      } else centre = fence.centre;
    }
    const radius = fence.radius_m ?? 500;
    for (const cell of cells) {
      if (areaTypes && !areaTypes.includes(cell.area_type)) continue;
      if (counties && !counties.includes(cell.county)) continue;
      if (regions && !regions.includes(cell.region)) continue;
      if (centre && !(distanceMetres(centre.lat, centre.lon, cell.lat, cell.lon) <= radius)) continue;
      members.add(cell.cell_id);
    }
  }
  return cells.filter((c) => members.has(c.cell_id));
}

function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

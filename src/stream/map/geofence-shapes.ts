// Geofences as shapes on the map: a circle for a centre and radius, and for a fence made of cells (by id,
// area type, county or region) a small disc around each of its cells, since such a fence has no outline
// of its own. Polygons in GeoJSON order (lon, lat), counter-clockwise.
import type { CellDirectory } from '../geofences/cell-directory.ts';
import type { GeofenceDefinition, Geofences } from '../geofences/geofences.ts';

/** Radius of the disc drawn around each cell of a fence made of cells. */
const CELL_DISC_M = 450;
const METRES_PER_DEGREE = 111_320;

export function geofenceShape(
  definition: GeofenceDefinition,
  context: { geofences: Geofences; cells: CellDirectory },
): number[][][][] {
  if (definition.centre && definition.radius_m !== undefined && !definition.area_type && !definition.county) {
    const centre =
      'cell' in definition.centre
        ? context.cells.cells[context.cells.find(definition.centre.cell) ?? -1]
        : definition.centre;
    if (centre) return [[circle(centre.lat, centre.lon, definition.radius_m)]];
  }
  const id = context.geofences.idOf(definition.id);
  if (id === undefined) return [];
  return context.geofences
    .cellsIn(id)
    .map((at) => context.cells.cells[at]!)
    .filter((cell) => Number.isFinite(cell.lat))
    .map((cell) => [circle(cell.lat, cell.lon, CELL_DISC_M)]);
}

function circle(lat: number, lon: number, radiusM: number, points = 40): number[][] {
  const dLat = radiusM / METRES_PER_DEGREE;
  const dLon = radiusM / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  const ring: number[][] = [];
  for (let i = 0; i <= points; i++) {
    const angle = (2 * Math.PI * (i % points)) / points;
    ring.push([round5(lon + dLon * Math.cos(angle)), round5(lat + dLat * Math.sin(angle))]);
  }
  return ring;
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

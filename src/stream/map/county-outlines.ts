// County outlines drawn from the cells themselves, so that the map needs no tile server and no boundary
// file: the area around the cells is cut into a fine grid, each square goes to the county of its nearest
// cell (squares far from every cell stay outside), a majority filter takes off the ragged edges, and the
// edges between counties are traced into rings and smoothed. For the demo this is the generator's own
// geography (src/demo/heyuan-geography.ts): every cell lies inside its county's shape, apart from a few
// on a border that the smoothing shifts by a few hundred metres.

export interface OutlineCell {
  lat: number;
  lon: number;
  county: string;
}

export interface CountyFeature {
  type: 'Feature';
  properties: { name: string; cells: number };
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

export interface CountyOutlines {
  type: 'FeatureCollection';
  features: CountyFeature[];
}

export interface OutlineOptions {
  /** Squares along the longer side of the area. */
  resolution?: number;
  /** How far (degrees of latitude) a square may be from its nearest cell and still be land. */
  reachDeg?: number;
}

type Point = [number, number];

export function traceCountyOutlines(cells: readonly OutlineCell[], options: OutlineOptions = {}): CountyOutlines {
  const placed = cells.filter((c) => Number.isFinite(c.lat) && Number.isFinite(c.lon) && c.county !== '');
  if (placed.length === 0) return { type: 'FeatureCollection', features: [] };
  const reach = options.reachDeg ?? 0.18;
  const counties = [...new Set(placed.map((c) => c.county))];
  const countyOf = placed.map((c) => counties.indexOf(c.county));
  const lats = placed.map((c) => c.lat);
  const lons = placed.map((c) => c.lon);
  const lat0 = Math.min(...lats) - reach * 1.5;
  const lon0 = Math.min(...lons) - reach * 1.5;
  const spanLat = Math.max(...lats) + reach * 1.5 - lat0;
  const spanLon = Math.max(...lons) + reach * 1.5 - lon0;
  const step = Math.max(spanLat, spanLon) / (options.resolution ?? 220);
  const width = Math.ceil(spanLon / step);
  const height = Math.ceil(spanLat / step);
  // A degree of longitude is shorter than one of latitude away from the equator.
  const lonScale = Math.cos(((lat0 + spanLat / 2) * Math.PI) / 180);

  let label: Int16Array = new Int16Array(width * height).fill(-1);
  for (let y = 0; y < height; y++) {
    const lat = lat0 + (y + 0.5) * step;
    for (let x = 0; x < width; x++) {
      const lon = lon0 + (x + 0.5) * step;
      let best = reach * reach;
      let county = -1;
      for (let i = 0; i < placed.length; i++) {
        const dLat = lats[i]! - lat;
        const dLon = (lons[i]! - lon) * lonScale;
        const d = dLat * dLat + dLon * dLon;
        if (d < best) {
          best = d;
          county = countyOf[i]!;
        }
      }
      label[y * width + x] = county;
    }
  }
  for (let pass = 0; pass < 3; pass++) label = majority(label, width, height, counties.length);

  const features: CountyFeature[] = counties.map((name, county) => {
    const rings = traceRings(label, width, height, county).map((ring) =>
      smooth(simplify(ring), 2).map(([x, y]): Point => [round5(lon0 + x * step), round5(lat0 + y * step)]),
    );
    return {
      type: 'Feature',
      properties: { name, cells: countyOf.filter((c) => c === county).length },
      geometry: { type: 'MultiPolygon', coordinates: nestHoles(rings) },
    };
  });
  return { type: 'FeatureCollection', features };
}

/** Each square takes the label most common among itself and its eight neighbours (ties keep its own). */
function majority(label: Int16Array, width: number, height: number, counties: number): Int16Array {
  const out = new Int16Array(label.length);
  const votes = new Int32Array(counties + 1);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      votes.fill(0);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          const l = nx < 0 || ny < 0 || nx >= width || ny >= height ? -1 : label[ny * width + nx]!;
          votes[l + 1]!++;
        }
      const own = label[y * width + x]!;
      let best = own;
      for (let l = -1; l < counties; l++) if (votes[l + 1]! > votes[best + 1]!) best = l;
      out[y * width + x] = best;
    }
  return out;
}

/**
 * The boundary of one label as closed rings of grid corners: every square edge with the label on one
 * side only, directed so the label is on its left (outer rings counter-clockwise, holes clockwise).
 */
function traceRings(label: Int16Array, width: number, height: number, county: number): Point[][] {
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? -1 : label[y * width + x]!);
  const key = (x: number, y: number) => y * (width + 1) + x;
  const next = new Map<number, Point[]>();
  const add = (from: Point, to: Point) => {
    const k = key(from[0], from[1]);
    const list = next.get(k);
    if (list) list.push(to);
    else next.set(k, [to]);
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (at(x, y) !== county) continue;
      if (at(x, y - 1) !== county) add([x, y], [x + 1, y]);
      if (at(x + 1, y) !== county) add([x + 1, y], [x + 1, y + 1]);
      if (at(x, y + 1) !== county) add([x + 1, y + 1], [x, y + 1]);
      if (at(x - 1, y) !== county) add([x, y + 1], [x, y]);
    }
  const rings: Point[][] = [];
  for (const [startKey, targets] of next) {
    while (targets.length > 0) {
      const start: Point = [startKey % (width + 1), Math.floor(startKey / (width + 1))];
      const ring: Point[] = [start];
      let current = targets.pop()!;
      while (current[0] !== start[0] || current[1] !== start[1]) {
        ring.push(current);
        const options = next.get(key(current[0], current[1]));
        if (!options || options.length === 0) break;
        current = options.pop()!;
      }
      if (ring.length >= 4) rings.push(ring);
    }
  }
  return rings;
}

/** Drops the corners of a ring where it goes straight on. */
function simplify(ring: Point[]): Point[] {
  return ring.filter((p, i) => {
    const a = ring[(i - 1 + ring.length) % ring.length]!;
    const b = ring[(i + 1) % ring.length]!;
    return (p[0] - a[0]) * (b[1] - p[1]) - (p[1] - a[1]) * (b[0] - p[0]) !== 0;
  });
}

/** Chaikin's corner cutting: the staircase of the grid becomes a rounded line. */
function smooth(ring: Point[], passes: number): Point[] {
  let points = ring;
  for (let pass = 0; pass < passes; pass++) {
    const out: Point[] = [];
    for (let i = 0; i < points.length; i++) {
      const a = points[i]!;
      const b = points[(i + 1) % points.length]!;
      out.push([0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]]);
      out.push([0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]]);
    }
    points = out;
  }
  return points;
}

/** GeoJSON polygons: each outer ring (counter-clockwise) with the holes (clockwise) that lie inside it. */
function nestHoles(rings: Point[][]): number[][][][] {
  const closed = (ring: Point[]) => [...ring, ring[0]!];
  const outers = rings.filter((r) => signedArea(r) > 0);
  const polygons: Point[][][] = outers.map((r) => [closed(r)]);
  for (const hole of rings.filter((r) => signedArea(r) < 0)) {
    const home = outers.findIndex((outer) => contains(outer, hole[0]!));
    if (home >= 0) polygons[home]!.push(closed(hole));
  }
  return polygons;
}

function signedArea(ring: Point[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

/** Whether a point lies inside a ring (even-odd rule). */
export function contains(ring: readonly (readonly number[])[], point: readonly number[]): boolean {
  let inside = false;
  const [px, py] = [point[0]!, point[1]!];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = [ring[i]![0]!, ring[i]![1]!];
    const [xj, yj] = [ring[j]![0]!, ring[j]![1]!];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

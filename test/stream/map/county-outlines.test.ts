// County outlines traced from the demo generator's own cells: one shape per county, the cells inside
// their own county, counties that do not overlap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCells, counties } from '../../../src/demo/index.ts';
import { contains, traceCountyOutlines } from '../../../src/stream/map/county-outlines.ts';

const cells = buildCells();
const outlines = traceCountyOutlines(cells);

function inside(polygons: number[][][][], point: [number, number]): boolean {
  return polygons.some((p) => contains(p[0]!, point) && !p.slice(1).some((hole) => contains(hole, point)));
}

describe('county outlines', () => {
  it('draws one closed shape per county of the demo', () => {
    assert.deepEqual(
      outlines.features.map((f) => f.properties.name),
      counties.map((c) => c.name),
    );
    for (const feature of outlines.features)
      for (const polygon of feature.geometry.coordinates)
        for (const ring of polygon) assert.deepEqual(ring[0], ring.at(-1), 'rings are closed');
    assert.equal(
      outlines.features.reduce((n, f) => n + f.properties.cells, 0),
      cells.length,
    );
  });

  it('puts nearly every cell inside its own county and none inside two', () => {
    let own = 0;
    for (const cell of cells) {
      const point: [number, number] = [cell.lon, cell.lat];
      const homes = outlines.features.filter((f) => inside(f.geometry.coordinates, point));
      assert.ok(homes.length <= 1, `${cell.name} lies in ${homes.map((h) => h.properties.name).join(', ')}`);
      if (homes[0]?.properties.name === cell.county) own++;
    }
    assert.ok(own / cells.length >= 0.97, `${own} of ${cells.length} cells inside their county`);
  });

  it('gives nothing for no cells', () => {
    assert.deepEqual(traceCountyOutlines([]).features, []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCells, counties, englishPlaceName, namedPlaces, regionName } from '../../src/demo/index.ts';

describe('English names of the demo places', () => {
  it('names the region, every county, every named place and every cell', () => {
    for (const name of [regionName, ...counties.map((c) => c.name), ...namedPlaces.map((p) => p.name)])
      assert.ok(englishPlaceName(name), name);
    for (const cell of buildCells()) {
      const english = englishPlaceName(cell.name);
      assert.ok(english && !/[\u4e00-\u9fff]/.test(english), `${cell.name} → ${english}`);
    }
    assert.equal(englishPlaceName('火车站3'), 'Railway station 3');
    assert.equal(englishPlaceName('源城居民区12'), 'Yuancheng residential 12');
    assert.equal(englishPlaceName('别处'), undefined);
  });
});

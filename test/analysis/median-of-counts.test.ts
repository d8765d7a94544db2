// The histogram median the ClickHouse channel analysis uses equals DuckDB's median() of the values.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { medianOfCounts } from '../../src/analysis/median-of-counts.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

/** A small fixed-seed generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function histogram(values: readonly number[]): { value: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count }));
}

test("the median of a histogram equals DuckDB's median() of its values, odd and even counts", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'telmark-median-'));
  try {
    await withWarehouse(join(folder, 'median.duckdb'), async (warehouse) => {
      const next = random(18);
      const lists: number[][] = [[3], [1, 4], [0, 0, 7, 7], [2, 9, 9]];
      for (let i = 0; i < 30; i++)
        lists.push(Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 60)));
      for (const values of lists) {
        const row = await warehouse.one<{ m: number }>(
          `SELECT median(CAST(x AS BIGINT)) AS m FROM (VALUES ${values.map(() => '(?)').join(', ')}) t(x)`,
          values,
        );
        assert.equal(medianOfCounts(histogram(values)), row?.m, JSON.stringify(values));
      }
    });
    assert.equal(medianOfCounts([]), null);
    assert.equal(medianOfCounts([{ value: 5, count: 0 }]), null);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

// A customer group whose size holds while its members change overnight is found; a steady one is not.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { detectGroupChanges, type GroupSource } from '../../src/anomalies/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-group-change-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const label = (_dimension: string, value: string) => ({ zh: `«${value}»`, en: value });

test('the make-up of a segment: an overnight swap alarms, a steady group and a small one do not', async () => {
  const warehouse = await Warehouse.open(join(dir, 'groups.duckdb'));
  try {
    const rows: string[] = [];
    const add = (day: string, brand: string, age: string, n: number) =>
      rows.push(`('${day}', '河源', '源城', '${brand}', 'P1', '1-2y', '${age}', 'mid', ${n}, ${n})`);
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) {
      add(day, 'gotone', '25-39', 600);
      add(day, 'gotone', '40-59', 400);
      add(day, 'easyown', '25-39', 60);
      add(day, 'easyown', '40-59', day === '2026-03-03' ? 10 : 40);
    }
    // M-Zone keeps 1,000 members but on the 3rd three in ten of them are another age.
    add('2026-03-01', 'mzone', '18-24', 700);
    add('2026-03-01', 'mzone', '25-39', 300);
    add('2026-03-02', 'mzone', '18-24', 705);
    add('2026-03-02', 'mzone', '25-39', 295);
    add('2026-03-03', 'mzone', '18-24', 400);
    add('2026-03-03', 'mzone', '25-39', 600);
    await warehouse.run(
      `INSERT INTO agg_segment_day (day, region, county, brand, plan_id, tenure_band, age_band, arpu_band,
         subscribers_active, users_active) VALUES ${rows.join(', ')}`,
    );
    const found = await detectGroupChanges(
      warehouse,
      { from: '2026-03-02', to: '2026-03-03', dayBefore: '2026-03-01' },
      label,
    );
    assert.equal(found.length, 1, JSON.stringify(found));
    const a = found[0]!;
    assert.equal(a.kind, 'group_change');
    assert.equal(a.day, '2026-03-03');
    assert.deepEqual(a.dimensions, { brand: 'mzone', by: 'age_band' });
    assert.ok(Math.abs(a.observed - 0.305) < 1e-9, String(a.observed));
    assert.equal(a.severity, 'critical');
    assert.match(a.explanation.zh, /«mzone» 客户群（1,000 人）构成一夜变化 30%：«25-39» \+31 个百分点/);

    // The seam for saved audiences: any source of day, grp, part, members.
    const audience: GroupSource = {
      kind: 'audience',
      groupDimension: 'audience',
      partDimension: 'county',
      sql: `SELECT CAST(day AS VARCHAR) AS day, 'A1' AS grp, county AS part, sum(subscribers_active) AS members
            FROM agg_segment_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
    };
    const none = await detectGroupChanges(
      warehouse,
      { from: '2026-03-02', to: '2026-03-03', dayBefore: '2026-03-01' },
      label,
      { maxShift: 0.1, minimumMembers: 200, sources: [audience] },
    );
    assert.deepEqual(none, [], 'one county only: the make-up cannot change');
  } finally {
    warehouse.close();
  }
});

// `telmark kpi` and `telmark analyze` as a user runs them: output formats and exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { queryMetric } from '../../src/metrics/index.ts';
import { type DemoFixture, demoFixture } from './demo-warehouse.ts';

describe('telmark kpi and telmark analyze', () => {
  let fixture: DemoFixture;
  before(async () => {
    fixture = await demoFixture();
  });
  after(() => fixture.remove());

  const telmark = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/telmark.js', '--db', fixture.dbPath, ...args], { encoding: 'utf8' });

  test('kpi prints the metric as JSON equal to the metric layer', async () => {
    const result = telmark('--format', 'json', 'kpi', 'orders', '--by', 'service', '--filter', 'brand=mzone,gotone');
    assert.equal(result.status, 0, result.stderr);
    const warehouse = await fixture.open();
    try {
      const direct = await queryMetric(warehouse, 'orders', {
        by: ['service'],
        filters: { brand: ['mzone', 'gotone'] },
      });
      assert.deepEqual(JSON.parse(result.stdout), direct.rows);
    } finally {
      warehouse.close();
    }
    const list = telmark('kpi');
    assert.equal(list.status, 0);
    assert.match(list.stdout, /penetration/);
  });

  test('analyze prints each section; bad input exits 1 with what, where and a hint', () => {
    const result = telmark('analyze', 'trial-stickiness', '--section', 'usage-vs-cancel');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /== usage-vs-cancel/);
    assert.match(result.stdout, /not used/);
    const csv = telmark('--format', 'csv', 'analyze', 'effect', '--section', 'county-month');
    assert.match(csv.stdout.split('\n')[0]!, /^month,county,calls_12580/);
    const bad = telmark('kpi', 'orders', '--filter', 'county=Atlantis');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown county "Atlantis"/);
    assert.match(bad.stderr, /hint: known values/);
    const usage = telmark('kpi', 'orders', '--filter', 'county');
    assert.equal(usage.status, 2);
  });

  test('analyze overview prints each headline once in its unit, money with thousands separators', () => {
    const result = telmark('analyze', 'overview');
    assert.equal(result.status, 0, result.stderr);
    const headlines = result.stdout.split('\n').filter((line) => /^ {2}\S/.test(line));
    assert.ok(headlines.length > 3, result.stdout);
    assert.ok(!headlines.some((line) => /ARPU ARPU/.test(line)), result.stdout);
    const vas = headlines.find((line) => /VAS revenue/.test(line));
    assert.match(vas ?? '', /: ¥\d{1,3}(,\d{3})+\.\d\d( |$)/);
  });
});

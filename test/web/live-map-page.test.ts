// The live page's map in a real headless Chromium: county outlines traced from the demo's cells are
// drawn (no tiles), every cell is on the map, and a click on a cell shows who is there now by brand and
// the rules that watch it; picking a geofence does the same for the area.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { counties } from '../../src/demo/index.ts';
import { chromiumMissing } from './dashboard-harness.ts';
import { type LiveDashboard, startLiveDashboard } from './live-dashboard.ts';

const brandNames: Record<string, string> = { gotone: '全球通', easyown: '神州行', mzone: '动感地带', other: '其他' };

describe('live map in Chromium', { skip: chromiumMissing }, () => {
  let live: LiveDashboard;
  let station: string;
  let byBrand: Map<string, number>;
  before(async () => {
    live = await startLiveDashboard();
    station = (await live.warehouse.one<{ cell_id: string }>(`SELECT cell_id FROM cells WHERE name = '火车站1'`))!
      .cell_id;
    const people = await live.warehouse.all<{ msisdn: string; brand: string }>(
      `SELECT msisdn, brand FROM subscribers WHERE status = 'active' ORDER BY msisdn LIMIT 14`,
    );
    byBrand = new Map();
    people.forEach((p, i) => {
      byBrand.set(p.brand, (byBrand.get(p.brand) ?? 0) + 1);
      live.session.engine.process(
        {
          tsMs: Date.UTC(2026, 2, 30, 2, 0, i),
          msisdn: p.msisdn,
          event: 'location_update',
          cellId: station,
          peer: '',
          durationSec: 0,
        },
        i + 1,
      );
    });
  });
  after(async () => {
    await live?.close();
  });

  test('the API traces one outline per county and places every cell inside the drawn area', async () => {
    const answer = await (await fetch(`${live.url}/api/stream/map`)).json();
    assert.deepEqual(
      answer.outlines.features.map((f: { properties: { name: string } }) => f.properties.name).sort(),
      counties.map((c) => c.name).sort(),
    );
    assert.equal(answer.cells.length, await live.warehouse.scalar('SELECT count(*) FROM cells'));
    const fence = answer.geofences.find((g: { id: string }) => g.id === 'station');
    assert.equal(fence.label.en, 'Railway station');
    assert.ok(fence.coordinates[0][0].length > 30, 'the station geofence is a circle');
    const unknown = await fetch(`${live.url}/api/stream/map/cell/9999-1`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, 'NOT_FOUND');
    const county = await (await fetch(`${live.url}/api/stream/map/county/${encodeURIComponent('龙川')}`)).json();
    assert.deepEqual(county.label, { zh: '龙川', en: 'Longchuan' });
    assert.equal(county.cells, answer.cells.filter((c: { county: string }) => c.county === '龙川').length);
  });

  test('the page draws the outlines and a click on the busiest cell shows its subscribers by brand', async () => {
    const { page, errors } = await live.open('/stream');
    await page.locator('[data-testid=stream-map][data-ready=true]').waitFor({ timeout: 30_000 });
    const callout = page.locator('[data-testid=map-callout]');
    await callout.waitFor({ timeout: 30_000 });
    assert.equal(await callout.getAttribute('data-cell'), station);
    // County land is drawn in its fill colour over a good part of the canvas (not a bare scatter).
    const land = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid=stream-map] canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let fill = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (Math.abs(pixels[i]! - 238) < 4 && Math.abs(pixels[i + 1]! - 242) < 4 && Math.abs(pixels[i + 2]! - 247) < 4)
          fill++;
      return fill / (canvas.width * canvas.height);
    });
    assert.ok(land > 0.1, `county fill covers ${Math.round(land * 100)} % of the map`);

    await page.locator('[data-testid=stream-map]').scrollIntoViewIfNeeded();
    const box = (await callout.boundingBox())!;
    // The callout's corner sits on the cell (it is moved 6 px right and its own height up).
    await page.mouse.click(box.x - 6, box.y + box.height);
    const detail = page.locator(`[data-testid=place-detail][data-place="cell:${station}"]`);
    await detail.waitFor({ timeout: 20_000 });
    assert.match((await detail.locator('[data-testid=place-title]').textContent()) ?? '', /火车站1.*当前 14 位用户/);
    const brandTable = detail.locator('[data-testid=data-table]').first();
    const rows = await brandTable.locator('tbody tr').allTextContents();
    for (const [brand, count] of byBrand)
      assert.ok(rows.includes(`${brandNames[brand]}${count}`), `${brand} ${count} in ${rows.join(' | ')}`);
    const rules = await detail.locator('[data-testid=data-table]').nth(1).locator('tbody tr').allTextContents();
    assert.ok(
      rules.some((r) => r.startsWith('hubs-114-not-12580')),
      rules.join(' | '),
    );
    assert.ok(rules.some((r) => r.startsWith('station-leavers')));
    assert.ok(!rules.some((r) => r.startsWith('office-sms-heavy')), 'the offices rule does not watch the station');

    await page.locator('[data-testid=map-place]').selectOption('area:station');
    await page.locator('[data-testid=place-detail][data-place="area:station"]').waitFor({ timeout: 20_000 });
    assert.match((await page.locator('[data-testid=place-title]').textContent()) ?? '', /火车站.*当前 14 位用户/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the title shows once, and area names follow the page language in every table', async () => {
    const { page, errors } = await live.open('/stream');
    await page.locator('[data-testid=stream-map][data-ready=true]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('h1, h2', { hasText: '实时区域营销' }).count(), 1);
    const firstColumn = () =>
      page.locator('[data-testid=stream-page] [data-testid=data-table] tbody tr td:first-child');
    await page.locator('td', { hasText: '火车站' }).first().waitFor();
    await page.locator('[data-testid=lang-switch]').click();
    await page.locator('td', { hasText: 'Railway station' }).first().waitFor({ timeout: 10_000 });
    const names = await firstColumn().allTextContents();
    assert.ok(names.includes('Railway station') && names.includes('University town'), names.join(' | '));
    for (const name of names) assert.doesNotMatch(name, /[\u4e00-\u9fff]/, name);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

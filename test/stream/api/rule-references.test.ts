// Rule and geofence edits over the API name only cells, counties and services the feeds know, and the
// id in the body cannot differ from the id in the path.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { writeFileSync } from 'node:fs';
import { buildServer } from '../../../src/api/server.ts';
import { openStreamSession } from '../../../src/stream/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells } from '../stream-fixtures.ts';
import { testAccess } from '../../access/test-access.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-rule-refs-'));
let warehouse: Warehouse;
let app: FastifyInstance;

before(async () => {
  warehouse = await Warehouse.open(join(dir, 'refs.duckdb'));
  for (const [i, c] of heyuanCells().cells.entries())
    await warehouse.run('INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)', [
      c.cellId,
      9310,
      100 + i,
      c.name,
      c.lat,
      c.lon,
      c.region,
      c.county,
      c.areaType,
    ]);
  await warehouse.run(
    "INSERT INTO services VALUES ('12580', '12580综合信息服务', 'directory', 0, 0, 0), ('crbt', '彩铃', 'crbt', 5, 1, 0)",
  );
  app = await buildServer({
    warehouse,
    clock: fixedClock('2026-03-01T04:00:00Z'),
    webRoot: null,
    access: testAccess,
  });
});
after(async () => {
  await app.close();
  warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

const put = (url: string, payload: object) => app.inject({ method: 'PUT', url, payload });

describe('rule and geofence edits over the API', () => {
  it('refuse unknown cells, counties and regions with a 400 that lists them', async () => {
    const response = await put('/api/stream/geofences/hubs', {
      cells: ['9310-101', 'abc', '9999-99999'],
      county: ['源城', '东园'],
      region: '河原',
    });
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.code, 'RULE_INVALID');
    assert.match(error.message, /cells: unknown cell "abc", "9999-99999" \(not in the cells feed\)/);
    assert.match(error.message, /county: unknown county "东园"/);
    assert.match(error.message, /region: unknown region "河原"/);
    assert.equal((await app.inject({ method: 'GET', url: '/api/stream/geofences' })).json().geofences.length, 0);
  });

  it('refuse a rule that promotes an unknown service', async () => {
    assert.equal(
      (await put('/api/stream/geofences/station', { area_type: 'station', county: '源城' })).statusCode,
      200,
    );
    const response = await put('/api/stream/rules/station-hello', {
      where: { geofences: ['station', 'stadium'] },
      message: { text: '欢迎' },
      service: '12850',
    });
    assert.equal(response.statusCode, 400);
    const { message } = response.json().error;
    assert.match(message, /service: unknown service "12850" \(not in the services feed\)/);
    assert.match(message, /unknown geofence "stadium"/);
    const good = await put('/api/stream/rules/station-hello', {
      where: { geofences: ['station'] },
      message: { text: '欢迎' },
      service: '12580',
    });
    assert.equal(good.statusCode, 200, good.body);
  });

  it('refuse a body whose id differs from the path, instead of renaming it', async () => {
    const rule = await put('/api/stream/rules/station-hello', {
      id: 'campus-hello',
      where: { geofences: ['station'] },
      message: { text: '换个名字' },
    });
    assert.equal(rule.statusCode, 400);
    assert.match(rule.json().error.message, /the body's id "campus-hello" differs from the path's id "station-hello"/);
    const fence = await put('/api/stream/geofences/station', { id: 'stadium', area_type: 'station' });
    assert.equal(fence.statusCode, 400);
    assert.match(fence.json().error.message, /differs from the path's id "station"/);
    const rules = (await app.inject({ method: 'GET', url: '/api/stream/rules' })).json().rules;
    assert.deepEqual(
      rules.map((r: { id: string; definition: { message: { text: string } } }) => [r.id, r.definition.message.text]),
      [['station-hello', '欢迎']],
    );
    // The same id in the body is fine.
    const same = await put('/api/stream/rules/station-hello', {
      id: 'station-hello',
      where: { geofences: ['station'] },
      message: { text: '欢迎光临' },
    });
    assert.equal(same.statusCode, 200);
  });

  it('check a rule file at stream start against the cells and services the stream knows', async () => {
    writeFileSync(
      join(dir, 'rules.yaml'),
      `
geofences:
  - { id: east, county: 东园 }
  - { id: east, cells: ["9320-301"] }
rules:
  - { id: east-hello, where: { geofences: [east] }, message: { text: 东源欢迎你 }, service: "12850" }
`,
    );
    await assert.rejects(
      openStreamSession({
        source: join(dir, 'none.jsonl'),
        clock: fixedClock('2026-03-01T04:00:00Z'),
        warehouse,
        rulesFile: join(dir, 'rules.yaml'),
      }),
      (error: Error) => {
        assert.match(error.message, /^3 problem\(s\)/);
        assert.match(error.message, /geofences\[0\]\.county: unknown county "东园"/);
        assert.match(error.message, /geofences\[1\]\.id: another geofence has the same id/);
        assert.match(error.message, /rules\[0\]\.service: unknown service "12850"/);
        return true;
      },
    );
  });
});

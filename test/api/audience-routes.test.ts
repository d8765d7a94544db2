// The audience routes on a warehouse worked out on paper: preview, save and versions, export masked
// and audited, errors naming the path in the tree, and the rights each route needs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { bearerFor, testAccess } from '../access/test-access.ts';
import { openAudienceWarehouse } from '../campaigns/audiences/audience-warehouse.ts';

let warehouse: Warehouse;
let app: FastifyInstance;
before(async () => {
  warehouse = await openAudienceWarehouse();
  app = await buildServer({
    warehouse,
    clock: fixedClock('2026-04-01T08:00:00Z'),
    webRoot: null,
    readers: 0,
    access: testAccess,
  });
});
after(async () => {
  await app.close();
  warehouse.close();
});

test('POST /api/audiences/preview gives the size by county and brand', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/audiences/preview',
    payload: {
      definition: {
        all: [
          { attribute: 'brand', in: ['mzone'] },
          { attribute: 'age', between: [null, 25] },
        ],
      },
    },
  });
  assert.equal(response.statusCode, 200, response.body);
  const preview = response.json();
  assert.equal(preview.size, 2);
  assert.deepEqual(preview.byBrand, [{ brand: 'mzone', label: { zh: '动感地带', en: 'M-Zone' }, subscribers: 2 }]);
  const earlier = await app.inject({
    method: 'POST',
    url: '/api/audiences/preview',
    payload: { definition: { all: [] }, asOf: '2026-01-15' },
  });
  assert.equal(earlier.json().size, 5);
});

test('a bad definition is a 400 naming the path in the tree', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/audiences/preview',
    payload: { definition: { all: [{ holds: 'music' }, { attribute: 'age', between: ['x', 3] }] } },
  });
  assert.equal(response.statusCode, 400);
  assert.equal(response.json().error.code, 'INPUT_INVALID');
  assert.match(response.json().error.message, /all\[1\]\.between\[0\]: must be a number/);
  assert.equal(response.json().error.location.path, 'all[1].between[0]');
});

test('save, versions, list and a masked, audited export', async () => {
  const first = await app.inject({
    method: 'POST',
    url: '/api/audiences',
    payload: { name: '动感用户', definition: { attribute: 'brand', in: ['mzone'] } },
  });
  assert.equal(first.statusCode, 201, first.body);
  const { id } = first.json();
  const second = await app.inject({
    method: 'POST',
    url: '/api/audiences',
    payload: { id, name: '动感用户', definition: { holds: 'music' } },
  });
  assert.equal(second.json().version, 2);
  const shown = (await app.inject({ method: 'GET', url: `/api/audiences/${id}` })).json();
  assert.deepEqual(
    shown.versions.map((v: { version: number; createdBy: string }) => [v.version, v.createdBy]),
    [
      [2, 'tester'],
      [1, 'tester'],
    ],
  );
  const list = (await app.inject({ method: 'GET', url: '/api/audiences' })).json().audiences;
  assert.deepEqual(
    list.map((a: { id: number; latestVersion: number }) => [a.id, a.latestVersion]),
    [[id, 2]],
  );
  const exported = await app.inject({ method: 'GET', url: `/api/audiences/${id}/export?version=1` });
  assert.equal(exported.statusCode, 200, exported.body);
  assert.match(String(exported.headers['content-type']), /text\/csv/);
  assert.equal(exported.body, 'msisdn,county,brand\n138****0001,源城,mzone\n138****0002,东源,mzone\n');
  const audit = await listAudit(warehouse, { action: 'audience.export' });
  assert.deepEqual(
    audit.map((a) => [a.actor, a.target, JSON.parse(a.detail).rows]),
    [['tester', `audience ${id} v1`, 2]],
  );
  assert.equal((await app.inject({ method: 'GET', url: '/api/audiences/999' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: `/api/audiences/${id}/export?version=9` })).statusCode, 404);
});

test('the catalogue labels every value the builder offers', async () => {
  const catalogue = (await app.inject({ method: 'GET', url: '/api/audiences/catalogue' })).json();
  assert.equal(catalogue.asOf, '2026-03-31');
  const brand = catalogue.attributes.find((a: { name: string }) => a.name === 'brand');
  assert.deepEqual(
    brand.values.map((v: { label: { zh: string } }) => v.label.zh),
    ['全球通', '神州行', '动感地带'],
  );
  assert.deepEqual(
    catalogue.services.map((s: { value: string; label: { zh: string } }) => [s.value, s.label.zh]),
    [
      ['crbt', '彩铃'],
      ['music', '音乐随身听'],
      ['news', '手机报'],
    ],
  );
  assert.deepEqual(
    catalogue.models.map((m: { score: string; version: string }) => `${m.score}:${m.version}`),
    ['churn:churn-v1', 'propensity:prop-v2'],
  );
});

test('an analyst previews but may not save or export; a campaign manager exports masked', async () => {
  const analyst = await bearerFor(warehouse, 'ana', ['analyst']);
  const manager = await bearerFor(warehouse, 'max', ['campaign_manager']);
  const preview = { method: 'POST' as const, url: '/api/audiences/preview', payload: { definition: { all: [] } } };
  assert.equal((await app.inject({ ...preview, headers: analyst })).statusCode, 200);
  const save = { method: 'POST' as const, url: '/api/audiences', payload: { name: 'x', definition: { all: [] } } };
  assert.equal((await app.inject({ ...save, headers: analyst })).statusCode, 403);
  const saved = await app.inject({ ...save, headers: manager });
  assert.equal(saved.statusCode, 201);
  const url = `/api/audiences/${saved.json().id}/export`;
  assert.equal((await app.inject({ method: 'GET', url, headers: analyst })).statusCode, 403);
  const exported = await app.inject({ method: 'GET', url, headers: manager });
  assert.equal(exported.statusCode, 200);
  assert.equal(exported.body.split('\n').length, 6);
  assert.doesNotMatch(exported.body, /\d{11}/);
});

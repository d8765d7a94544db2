import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listAudit } from '../../../src/access/index.ts';
import {
  exportAudience,
  getAudience,
  getAudienceVersions,
  listAudiences,
  previewAudience,
  saveAudience,
} from '../../../src/campaigns/audiences/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { M, openAudienceWarehouse } from './audience-warehouse.ts';

let w: Warehouse;
const clock = fixedClock('2026-04-01T08:00:00Z');
before(async () => {
  w = await openAudienceWarehouse();
});
after(() => w.close());

test('preview: size with the breakdown by county and brand, and the day it was taken on', async () => {
  const preview = await previewAudience(w, { any: [{ attribute: 'brand', in: ['mzone'] }, { holds: 'news' }] });
  assert.equal(preview.size, 3);
  assert.equal(preview.asOf, '2026-03-31');
  assert.deepEqual(preview.byCounty, [
    { county: '源城', subscribers: 2 },
    { county: '东源', subscribers: 1 },
  ]);
  assert.deepEqual(
    preview.byBrand.map((b) => [b.brand, b.label.zh, b.subscribers]),
    [
      ['mzone', '动感地带', 2],
      ['gotone', '全球通', 1],
    ],
  );
  assert.deepEqual(preview.warnings, []);
});

test('preview names values the warehouse does not know, with their path', async () => {
  const preview = await previewAudience(w, {
    all: [
      { holds: 'musc' },
      { attribute: 'county', in: ['源城', '深圳'] },
      { score: 'churn', modelVersion: 'v9', top: 5 },
    ],
  });
  assert.equal(preview.size, 0);
  assert.deepEqual(
    preview.warnings.map((x) => x.path),
    ['all[0].holds', 'all[1].in[1]', 'all[2].modelVersion'],
  );
  assert.match(preview.warnings[2]!.message.zh, /v9/);
});

test('saving again adds a version; older versions stay as they were', async () => {
  const first = await saveAudience(w, {
    name: '年轻动感',
    definition: { attribute: 'brand', in: ['mzone'] },
    createdBy: 'ana',
    clock,
  });
  assert.equal(first.version, 1);
  clock.advance(60_000);
  const second = await saveAudience(w, {
    id: first.id,
    name: '年轻动感',
    definition: {
      all: [
        { attribute: 'brand', in: ['mzone'] },
        { attribute: 'age', between: [null, 22] },
      ],
    },
    createdBy: 'bo',
    clock,
  });
  assert.deepEqual([second.id, second.version], [first.id, 2]);
  const other = await saveAudience(w, { name: '彩铃用户', definition: { holds: 'crbt' }, createdBy: 'ana', clock });
  assert.notEqual(other.id, first.id);

  const versions = await getAudienceVersions(w, first.id);
  assert.deepEqual(
    versions.map((v) => [v.version, v.createdBy]),
    [
      [2, 'bo'],
      [1, 'ana'],
    ],
  );
  assert.deepEqual(versions[1]!.definition, { attribute: 'brand', in: ['mzone'] });
  assert.equal((await getAudience(w, first.id, 1)).createdAt, '2026-04-01 08:00:00');
  const list = await listAudiences(w);
  assert.deepEqual(
    list.map((a) => [a.id, a.latestVersion]),
    [
      [other.id, 1],
      [first.id, 2],
    ],
  );
  await assert.rejects(getAudience(w, 999), { code: 'NOT_FOUND' });
  await assert.rejects(getAudience(w, first.id, 7), /has no version 7/);
  await assert.rejects(saveAudience(w, { id: 999, name: 'x', definition: { all: [] }, createdBy: 'a', clock }), {
    code: 'NOT_FOUND',
  });
  await assert.rejects(
    saveAudience(w, { name: 'x', definition: { all: [{ holds: 3 }] }, createdBy: 'a', clock }),
    /all\[0\]\.holds/,
  );
});

test('export masks numbers unless allowed, and every export is audited', async () => {
  const masked = await exportAudience(w, {
    definition: { attribute: 'brand', in: ['mzone'] },
    unmasked: false,
    actor: 'ana',
    address: '127.0.0.1',
    clock,
    audience: { id: 1, version: 1 },
  });
  assert.equal(masked.rows, 2);
  assert.equal(masked.csv, 'msisdn,county,brand\n138****0001,源城,mzone\n138****0002,东源,mzone\n');
  const full = await exportAudience(w, {
    definition: { holds: 'music' },
    unmasked: true,
    actor: 'root',
    address: 'cli',
    clock,
  });
  assert.equal(full.csv, `msisdn,county,brand\n${M(1)},源城,mzone\n`);
  const empty = await exportAudience(w, {
    definition: { holds: 'none' },
    unmasked: true,
    actor: 'root',
    address: 'cli',
    clock,
  });
  assert.equal(empty.csv, 'msisdn,county,brand\n');
  const audit = (await listAudit(w, { action: 'audience.export' })).sort((a, b) => a.seq - b.seq);
  assert.deepEqual(
    audit.map((a) => [a.actor, a.target, JSON.parse(a.detail)]),
    [
      ['ana', 'audience 1 v1', { rows: 2, masked: true }],
      ['root', 'audience definition', { rows: 1, masked: false }],
      ['root', 'audience definition', { rows: 0, masked: false }],
    ],
  );
});

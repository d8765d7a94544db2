// `telmark audience …` as a user runs it: sources, formats, exit codes and errors naming file and line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listAudit } from '../../../src/access/index.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { M, openAudienceWarehouse } from './audience-warehouse.ts';

let dir: string;
let db: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telmark-audience-cli-'));
  db = join(dir, 'w.duckdb');
  (await openAudienceWarehouse(db)).close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const telmark = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/telmark.js', '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TELMARK_TSX: '1' },
  });

test('preview from a YAML file, as JSON and as a table', () => {
  const file = join(dir, 'young.yaml');
  writeFileSync(
    file,
    'name: 年轻用户\ndefinition:\n  all:\n    - attribute: brand\n      in: [mzone]\n    - attribute: age\n      between: [null, 25]\n',
  );
  const json = telmark('--format', 'json', 'audience', 'preview', '--file', file);
  assert.equal(json.status, 0, json.stderr);
  const preview = JSON.parse(json.stdout);
  assert.equal(preview.size, 2);
  assert.deepEqual(preview.byCounty.map((c: { county: string }) => c.county).sort(), ['东源', '源城']);
  const table = telmark('audience', 'preview', '--definition', '{"holds":"music"}');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /total\s+as of 2026-03-31\s+1/);
  assert.match(table.stdout, /动感地带 mzone/);
});

test('a bad definition exits 1 naming the file, the line and the path in the tree', () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'all:\n  - attribute: brand\n    in: [mzone]\n  - attribute: age\n    between: [old, 25]\n');
  const result = telmark('audience', 'preview', '--file', file);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /bad\.yaml line 5: all\[1\]\.between\[0\]: must be a number/);
  const broken = telmark('audience', 'preview', '--definition', '{"all": [');
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /--definition line 1: not valid JSON or YAML/);
});

test('usage errors exit 2', () => {
  assert.equal(telmark('audience', 'preview').status, 2);
  assert.equal(telmark('audience', 'preview', '--definition', '{"all":[]}', '--as-of', 'yesterday').status, 2);
  assert.equal(telmark('audience', 'save', '--definition', '{"all":[]}').status, 2);
  assert.match(telmark('audience', '--help').stdout, /preview/);
});

test('save twice gives two versions; export a saved one, masked, to a file; audited', async () => {
  const first = telmark(
    '--format',
    'json',
    'audience',
    'save',
    '--name',
    '动感',
    '--definition',
    '{"attribute":"brand","in":["mzone"]}',
  );
  assert.equal(first.status, 0, first.stderr);
  const { id } = JSON.parse(first.stdout);
  const second = telmark(
    '--format',
    'json',
    'audience',
    'save',
    '--id',
    String(id),
    '--name',
    '动感',
    '--definition',
    '{"holds":"music"}',
  );
  assert.deepEqual(JSON.parse(second.stdout).version, 2);
  const shown = telmark('--format', 'json', 'audience', 'show', String(id));
  assert.deepEqual(
    JSON.parse(shown.stdout).map((v: { version: number }) => v.version),
    [2, 1],
  );
  const out = join(dir, 'list.csv');
  const exported = telmark(
    '--format',
    'json',
    'audience',
    'export',
    '--id',
    String(id),
    '--version',
    '1',
    '--out',
    out,
  );
  assert.equal(exported.status, 0, exported.stderr);
  assert.deepEqual(JSON.parse(exported.stdout), { rows: 2, file: out, masked: true });
  assert.equal(readFileSync(out, 'utf8'), 'msisdn,county,brand\n138****0001,源城,mzone\n138****0002,东源,mzone\n');
  const full = telmark('--format', 'csv', 'audience', 'export', '--id', String(id), '--unmasked');
  assert.equal(full.stdout, `msisdn,county,brand\n${M(1)},源城,mzone\n`);
  const w = await Warehouse.open(db);
  try {
    const audit = await listAudit(w, { action: 'audience.export' });
    assert.deepEqual(audit.map((a) => a.target).sort(), [`audience ${id} v1`, `audience ${id} v2`]);
  } finally {
    w.close();
  }
});

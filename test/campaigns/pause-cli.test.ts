// `telmark campaign pause|resume ID` as a user runs it: JSON with the held and released counts, the
// table, and errors that say what to do (exit 1), usage errors (exit 2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { approveCampaign, createCampaign, startPilot, validateContent } from '../../src/campaigns/index.ts';
import { actor, campaignDeps, openCampaignWarehouse } from './campaign-fixture.ts';

let dir: string;
let db: string;
let id = '';
let queued = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telmark-pause-cli-'));
  db = join(dir, 'w.duckdb');
  const warehouse = await openCampaignWarehouse(300, db);
  const deps = campaignDeps();
  const c = await createCampaign(
    warehouse,
    validateContent({
      name: 'cli pause',
      service: 'music',
      message: { text: '音乐包首月免费' },
      audience: { all: [] },
      schedule: { start: '2026-04-01' },
      pilot: { share: 0.5 },
    }),
    actor('alice', 'campaign_manager'),
    deps,
  );
  id = c.id;
  await approveCampaign(warehouse, id, actor('bob', 'approver'), deps);
  queued = (await startPilot(warehouse, id, actor('alice', 'campaign_manager'), deps)).queued;
  warehouse.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const telmark = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/telmark.js', '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TELMARK_TSX: '1' },
  });

test('pause and resume print what they held and released', () => {
  const paused = telmark('--format', 'json', 'campaign', 'pause', id, '--reason', 'fix the text', '--user', 'carol');
  assert.equal(paused.status, 0, paused.stderr);
  const answer = JSON.parse(paused.stdout);
  assert.equal(answer.held, queued);
  assert.equal(answer.paused.by, 'carol');
  const shown = telmark('campaign', 'list');
  assert.match(shown.stdout, /pilot \(paused\)/);
  const twice = telmark('campaign', 'pause', id);
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /is paused .*resume it first: telmark campaign resume/s);
  const resumed = telmark('campaign', 'resume', id, '--user', 'carol');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /released/);
  assert.match(resumed.stdout, new RegExp(`\\b${queued}\\b`));
});

test('errors and usage', () => {
  const missing = telmark('campaign', 'resume', 'C9999');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no campaign "C9999"/);
  assert.equal(telmark('campaign', 'pause').status, 2);
  assert.match(telmark('campaign', 'pause', '--help').stdout, /held/);
});

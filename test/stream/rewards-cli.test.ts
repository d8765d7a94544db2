// `telmark rewards export|list` and `telmark analyze area-view` as an operator runs them: the BOSS file
// on disk with full numbers, each reward exported once, usage errors exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

describe('telmark rewards and the area view on the command line', () => {
  let fixture: DemoFixture;
  const dir = mkdtempSync(join(tmpdir(), 'telmark-rewards-cli-'));
  before(async () => {
    fixture = await demoFixture();
    const warehouse = await fixture.open();
    try {
      await warehouse.run(
        `INSERT INTO stream_rewards (reward_id, rule_id, rule_version, msisdn, offer_id, kind, amount, description,
           behaviour, count, offered_at, reached_at, granted_at, status)
         VALUES ('o1:reward', 'query-credit', 1, '13800138000', 'o1', 'credit', 5, '查询五次送 5 元, 当月有效',
           'call_out 12580', 5, TIMESTAMP '2026-03-30 09:00:00', TIMESTAMP '2026-03-30 15:00:00',
           TIMESTAMP '2026-03-30 15:00:01', 'pending')`,
      );
    } finally {
      warehouse.close();
    }
  });
  after(() => {
    fixture.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const telmark = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/telmark.js', '--db', fixture.dbPath, ...args], { encoding: 'utf8' });

  test('rewards export writes the BOSS file once; list shows it exported', () => {
    const file = join(dir, 'boss.csv');
    const dry = telmark('rewards', 'export', '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /13800138000,CREDIT,5\.00,"查询五次送 5 元, 当月有效",query-credit,2026-03-30 15:00:00/);
    const exported = telmark('rewards', 'export', '--out', file);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, /1 rewards \(¥5\.00 of credit\) written to/);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 2);
    const again = telmark('rewards', 'export');
    assert.equal(again.stdout.trimEnd().split('\n').length, 1, 'only the header: nothing twice');
    const listed = JSON.parse(telmark('--format', 'json', 'rewards', 'list').stdout);
    assert.equal(listed.rewards[0].status, 'exported');
    const usage = telmark('rewards', 'list', '--status', 'paid');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--status must be one of pending, exported, fulfilled/);
  });

  test('analyze area-view with an area type and fields', () => {
    const result = telmark(
      '--format',
      'csv',
      'analyze',
      'area-view',
      '--filter',
      'area_type=station',
      '--fields',
      'callers',
      '--section',
      'callers',
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout.split('\n')[0]!, /^place,cell_id,subscribers,callers_114,callers_12580/);
    const bad = telmark('analyze', 'area-view', '--fields', 'weather');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown area-view field "weather"/);
  });
});

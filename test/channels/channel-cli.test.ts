// `telmark send` and `telmark outbox status` as scripts call them: the JSON shapes other tools read,
// and a bad list refused with its lines and fields.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'telmark-send-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'cli.duckdb');
const telmark = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/telmark.js', '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TELMARK_QUIET_HOURS: 'off' },
  });

test('send prints {"queued":N,"skipped":{reason:N}} and outbox status counts by channel and status', () => {
  const list = join(dir, 'list.csv');
  writeFileSync(list, 'msisdn,name\n13800000001,张三\n13800000002,"Li, Jr."\n13800000002,"Li, Jr."\n');
  const sent = telmark('--format', 'json', 'send', '--list', list, '--text', '{name}，您好', '--name', 'spring');
  assert.equal(sent.status, 0, sent.stderr);
  const result = JSON.parse(sent.stdout);
  assert.deepEqual(Object.keys(result), ['queued', 'skipped']);
  assert.equal(result.queued + (result.skipped.control_group ?? 0), 2);
  assert.equal(result.skipped.duplicate, 1);
  const status = telmark('--format', 'json', 'outbox', 'status');
  assert.equal(status.status, 0, status.stderr);
  const counts = JSON.parse(status.stdout);
  assert.deepEqual(Object.keys(counts).sort(), ['email', 'sms']);
  for (const key of ['pending', 'submitted', 'delivered', 'failed', 'unknown'])
    assert.equal(typeof counts.sms[key], 'number');
  assert.equal(counts.sms.pending, result.queued);
  const listed = telmark('--format', 'json', 'outbox', 'list', '--source', 'spring');
  assert.equal(JSON.parse(listed.stdout).length, 2);
});

test('a bad list is refused whole, each bad row named with its line and field', () => {
  const list = join(dir, 'bad.csv');
  writeFileSync(list, 'msisdn,name\n13800000001,A\n1380000000,B\n13800000003,\n');
  const result = telmark('send', '--list', list, '--text', 'Hi {name}');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /bad\.csv line 3 field msisdn: "1380000000" must have 11 digits/);
  assert.match(result.stderr, /bad\.csv line 4 field name: empty/);
  const usage = telmark('send', '--list', list, '--text', 'x', '--channel', 'fax');
  assert.equal(usage.status, 2);
  const stray = join(dir, 'stray.csv');
  writeFileSync(stray, 'msisdn,name\n13800000001,"A\n13800000002,B\n13800000003,C,extra\n');
  const swallowed = telmark('send', '--list', stray, '--text', 'Hi {name}');
  assert.equal(swallowed.status, 1, 'a stray quote must not swallow the next row');
  assert.match(swallowed.stderr, /stray\.csv line 2 field name: a quote opens a field that does not close/);
});

test('outbox dnd-import adds a do-not-disturb list, and queued marketing then skips those numbers', () => {
  const dnd = join(dir, 'dnd.txt');
  writeFileSync(dnd, '13800000009\n13800000009\n');
  const imported = telmark('--format', 'json', 'outbox', 'dnd-import', dnd);
  assert.equal(imported.status, 0, imported.stderr);
  assert.deepEqual(JSON.parse(imported.stdout), { read: 2, added: 1 });
  const list = join(dir, 'dnd-list.csv');
  writeFileSync(list, 'msisdn\n13800000009\n');
  const sent = telmark('--format', 'json', 'send', '--list', list, '--text', 'offer');
  assert.deepEqual(JSON.parse(sent.stdout), { queued: 0, skipped: { do_not_disturb: 1 } });
});

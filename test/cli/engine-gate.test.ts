// With a ClickHouse warehouse set (flag or TELMARK_WAREHOUSE), the commands that touch only the
// operational store (the --db file: accounts, tokens, audit, outbox) still run on that file, so the
// users who sign in to a cluster-backed server can be added; a command that reads facts not carried over
// refuses before it connects anywhere. No cluster is needed: neither case may reach one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const cli = resolve(import.meta.dirname, '../../bin/telmark.js');
const dir = mkdtempSync(join(tmpdir(), 'telmark-engine-gate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// Port 9 (discard) on loopback: nothing answers ClickHouse there, so a command that tried would fail.
const nowhere = 'clickhouse://127.0.0.1:9/telmark';

function telmark(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    cwd: dir,
    input,
    env: { ...process.env, TELMARK_WAREHOUSE: nowhere },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('accounts and the audit log run on the --db file beside a ClickHouse warehouse', () => {
  const db = join(dir, 'state.duckdb');
  const added = telmark(
    ['--db', db, 'user', 'add', 'ops1', '--role', 'oncall', '--password-stdin'],
    'a-long-secret-1\n',
  );
  assert.equal(added.code, 0, added.stderr);
  const listed = telmark(['--db', db, '--format', 'json', 'user', 'list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { user: string }[]).map((u) => u.user),
    ['ops1'],
  );
  const audit = telmark(['--db', db, '--format', 'json', 'audit']);
  assert.equal(audit.code, 0, audit.stderr);
  assert.match(audit.stdout, /ops1/);
});

test('a command reading facts not carried over refuses at once, exit 2, naming what runs there', () => {
  const refused = telmark(['--db', join(dir, 'other.duckdb'), 'rewards', 'list']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /does not run on a ClickHouse warehouse yet/);
  assert.match(refused.stderr, /serve/);
  // The profile and the models are carried (test/cluster/clickhouse-mining.test.ts), and the stream
  // (test/cluster/clickhouse-stream.test.ts): named among them.
  assert.match(refused.stderr, /train, customer, rules, stream/);
});

// The audit log is a hash chain: appends from concurrent requests stay in one unbroken sequence, and an
// edited, removed or reordered row is found, by the library and by `telmark audit` (exit 1).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appendAudit, listAudit, verifyAuditChain } from '../../src/access/index.ts';
import { ensureLocalToken, localTokenPath, readLocalToken } from '../../src/cli/local-token.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

describe('audit log', () => {
  const clock = fixedClock('2026-05-01T09:00:00Z');
  let warehouse: Warehouse;

  before(async () => {
    warehouse = await Warehouse.open(':memory:');
  });
  after(() => warehouse.close());

  test('concurrent appends form one chain in order', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        appendAudit(warehouse, clock, { actor: `u${i}`, address: '127.0.0.1', action: 'login', outcome: 'ok' }),
      ),
    );
    const rows = await listAudit(warehouse, { limit: 100 });
    assert.deepEqual(
      rows.map((r) => r.seq).reverse(),
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    assert.deepEqual(await verifyAuditChain(warehouse), { ok: true, rows: 25 });
  });

  test('a remembered last row that another writer or a rollback made stale is read again, the chain unbroken', async () => {
    const other = await warehouse.connectAnother();
    try {
      const entry = { actor: 'agent', address: '127.0.0.1', action: 'GET /api/customers/:msisdn' };
      await appendAudit(warehouse, clock, entry); // 26, remembered by this connection's queue
      await appendAudit(other, clock, entry); // 27, by another queue
      await appendAudit(warehouse, clock, entry); // must be 28 after 27, not a second 27
      await warehouse.transaction(async (tx) => {
        await appendAudit(tx, clock, entry); // 29, then rolled back
        await tx.run('ROLLBACK');
        await tx.run('BEGIN TRANSACTION');
      });
      await appendAudit(warehouse, clock, entry); // 29 again, after 28
      const rows = await listAudit(warehouse, { limit: 5 });
      assert.deepEqual(
        rows.map((r) => r.seq),
        [29, 28, 27, 26, 25],
      );
      assert.deepEqual(await verifyAuditChain(warehouse), { ok: true, rows: 29 });
    } finally {
      other.close();
    }
  });

  test('an edited row breaks the chain at that row', async () => {
    await warehouse.run(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 7`);
    const check = await verifyAuditChain(warehouse);
    assert.equal(check.ok, false);
    assert.equal(check.brokenAt, 7);
    assert.match(check.reason ?? '', /edited/);
    await warehouse.run(`UPDATE audit_log SET actor = 'u6' WHERE seq = 7`);
    assert.equal((await verifyAuditChain(warehouse)).ok, true);
  });

  test('a removed row, or a rewritten tail with a fresh hash, is found', async () => {
    await warehouse.run('CREATE TABLE audit_copy AS SELECT * FROM audit_log');
    await warehouse.run('DELETE FROM audit_log WHERE seq = 12');
    const removed = await verifyAuditChain(warehouse);
    assert.equal(removed.ok, false);
    assert.equal(removed.brokenAt, 13);
    assert.match(removed.reason ?? '', /missing/);
    // Re-hashing a row after editing it still breaks the link from the next row.
    await warehouse.run('DELETE FROM audit_log');
    await warehouse.run('INSERT INTO audit_log SELECT * FROM audit_copy');
    await warehouse.run(`UPDATE audit_log SET hash = '${'f'.repeat(64)}', action = 'nothing' WHERE seq = 20`);
    const rehashed = await verifyAuditChain(warehouse);
    assert.equal(rehashed.ok, false);
    assert.equal(rehashed.brokenAt, 20);
  });
});

describe('telmark user, token and audit', () => {
  let dir: string;
  let db: string;
  const telmark = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['bin/telmark.js', '--db', db, ...args], { encoding: 'utf8', input });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-access-cli-'));
    db = join(dir, 'w.duckdb');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('user add prints a generated password once, token create a token, audit verifies; tampering exits 1', async () => {
    const added = telmark(['user', 'add', 'ann', '--role', 'analyst,approver']);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stderr, /password of ann \(shown once\): \S{16}/);
    const piped = telmark(['user', 'add', 'bob', '--role', 'agent', '--password-stdin'], 'a-typed-password\n');
    assert.equal(piped.status, 0, piped.stderr);
    assert.doesNotMatch(piped.stderr, /password of bob/);
    const badRole = telmark(['user', 'add', 'cy', '--role', 'boss']);
    assert.equal(badRole.status, 2);
    assert.match(badRole.stderr, /unknown role "boss"[\s\S]*admin, analyst/);
    const token = telmark([
      '--format',
      'json',
      'token',
      'create',
      '--user',
      'ann',
      '--expires',
      '7d',
      '--role',
      'analyst',
    ]);
    assert.equal(token.status, 0, token.stderr);
    const [made] = JSON.parse(token.stdout) as { id: string; token: string; roles: string }[];
    assert.match(made?.token ?? '', /^tmk_/);
    assert.equal(made?.roles, 'analyst');
    assert.equal(telmark(['token', 'revoke', made?.id ?? '']).status, 0);
    const list = telmark(['--format', 'json', 'user', 'list']);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { user: string; roles: string }[]).map((u) => [u.user, u.roles]),
      [
        ['ann', 'analyst,approver'],
        ['bob', 'agent'],
      ],
    );
    const audit = telmark(['--format', 'json', 'audit']);
    assert.equal(audit.status, 0, audit.stderr);
    assert.deepEqual(
      (JSON.parse(audit.stdout) as { action: string }[]).map((r) => r.action),
      ['token.revoke', 'token.create', 'user.add', 'user.add'],
    );
    assert.match(audit.stderr, /chain intact \(4 rows\)/);
    const warehouse = await Warehouse.open(db);
    await warehouse.run(`UPDATE audit_log SET target = 'carol' WHERE seq = 2`);
    warehouse.close();
    const tampered = telmark(['audit']);
    assert.equal(tampered.status, 1);
    assert.match(tampered.stderr, /tampered with: row 2/);
  });

  test('the token for forwarded commands is kept beside the warehouse, readable by its owner only', async () => {
    const warehouse = await Warehouse.open(db);
    try {
      await ensureLocalToken(warehouse, fixedClock('2026-05-01T00:00:00Z'), db);
    } finally {
      warehouse.close();
    }
    const path = localTokenPath(db);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readLocalToken(db) ?? '', /^tmk_/);
    writeFileSync(path, 'tmk_x_y\n');
    chmodSync(path, 0o644);
    assert.equal(readLocalToken(db), undefined);
  });
});

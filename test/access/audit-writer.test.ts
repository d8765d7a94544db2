// The server's audit writer: its rows join the one hash chain whoever else appends, a row is on disk
// once its promise resolves, and the rows of concurrent requests share commits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AuditWriter, appendAudit, listAudit, verifyAuditChain } from '../../src/access/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

describe('audit writer', () => {
  const clock = fixedClock('2026-05-01T09:00:00Z');
  const entry = { actor: 'agent', address: '127.0.0.1', action: 'GET /api/customers/:msisdn', outcome: '200' };
  let folder: string;
  let path: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'telmark-audit-writer-'));
    path = join(folder, 'audit.duckdb');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('concurrent appends form one chain in order, and each resolves with its own row', async () => {
    const warehouse = await Warehouse.open(path);
    const writer = await AuditWriter.open(warehouse);
    try {
      const rows = await Promise.all(
        Array.from({ length: 30 }, (_, i) => writer.append(clock, { ...entry, target: `msisdn=1380000${1000 + i}` })),
      );
      assert.deepEqual(
        rows.map((r) => r.seq),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.deepEqual(
        rows.map((r) => r.target),
        Array.from({ length: 30 }, (_, i) => `msisdn=1380000${1000 + i}`),
      );
      assert.deepEqual(await verifyAuditChain(warehouse), { ok: true, rows: 30 });
    } finally {
      writer.close();
      warehouse.close();
    }
  });

  test('rows another connection appended in between are not overwritten: the writer continues after them', async () => {
    const warehouse = await Warehouse.open(path);
    const writer = await AuditWriter.open(warehouse);
    try {
      assert.equal((await writer.append(clock, entry)).seq, 31); // remembered by the writer
      assert.equal((await appendAudit(warehouse, clock, { ...entry, action: 'login' })).seq, 32);
      assert.equal((await appendAudit(warehouse, clock, { ...entry, action: 'login' })).seq, 33);
      const next = await writer.append(clock, entry);
      assert.equal(next.seq, 34);
      const latest = await listAudit(warehouse, { limit: 4 });
      assert.deepEqual(
        latest.map((r) => r.action),
        ['GET /api/customers/:msisdn', 'login', 'login', 'GET /api/customers/:msisdn'],
      );
      assert.equal(next.prev_hash, latest[1]!.hash);
      assert.deepEqual(await verifyAuditChain(warehouse), { ok: true, rows: 34 });
    } finally {
      writer.close();
      warehouse.close();
    }
  });

  test('a row whose append resolved is in the file when it is opened again', async () => {
    const warehouse = await Warehouse.open(path);
    const writer = await AuditWriter.open(warehouse);
    const row = await writer.append(clock, { ...entry, target: 'msisdn=13800138000' });
    writer.close();
    warehouse.close();
    const reopened = await Warehouse.open(path);
    try {
      const [last] = await listAudit(reopened, { limit: 1 });
      assert.equal(last?.seq, row.seq);
      assert.equal(last?.hash, row.hash);
      assert.equal(last?.target, 'msisdn=13800138000');
    } finally {
      reopened.close();
    }
  });
});

// The hardened server: HTTPS when given a key and certificate, secure headers, a warning when listening
// beyond loopback without HTTPS, no CORS unless configured, body size and rate limits, and commands that
// forward to the server owning the warehouse with the token kept beside it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { buildServer } from '../../src/api/server.ts';
import { startServer } from '../../src/api/start-server.ts';
import { ensureLocalToken, localTokenPath } from '../../src/cli/local-token.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { announceOwner, Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import { bearerFor } from './test-access.ts';

describe('hardened server', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-hardening-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('serves HTTPS with a key and certificate, with secure headers and a Secure cookie', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ]);
    assert.equal(made.status, 0, String(made.stderr));
    const server = await startServer({
      db: ':memory:',
      port: 0,
      logLevel: 'silent',
      webRoot: null,
      tls: { keyFile: key, certFile: cert },
    });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(server.insecure, false);
      const answer = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = request(`${server.url}/api/health`, { rejectUnauthorized: false }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(answer.status, 200);
      assert.match(String(answer.headers['strict-transport-security']), /max-age=/);
      assert.match(String(answer.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    } finally {
      await server.close();
    }
  });

  test('warns when listening beyond loopback without HTTPS, and not on loopback', async () => {
    const listen = async (host: string) => {
      const lines: string[] = [];
      const server = await startServer({
        db: ':memory:',
        host,
        port: 0,
        logLevel: 'warn',
        webRoot: null,
        logStream: new Writable({
          write(chunk, _e, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      });
      try {
        // The machine's own addresses are allowed Host names when listening on every interface.
        assert.equal((await fetch(`${server.url}/api/health`)).status, 200);
        return { insecure: server.insecure, warned: lines.some((l) => /beyond loopback without HTTPS/.test(l)) };
      } finally {
        await server.close();
      }
    };
    assert.deepEqual(await listen('0.0.0.0'), { insecure: true, warned: true });
    assert.deepEqual(await listen('127.0.0.1'), { insecure: false, warned: false });
  });

  test('no CORS headers unless configured; configured origins get them', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const closed = await buildServer({ warehouse, webRoot: null, readers: 0 });
    const open = await buildServer({
      warehouse,
      webRoot: null,
      readers: 0,
      access: { corsOrigins: ['https://portal.example'] },
    });
    try {
      const plain = await closed.inject({ url: '/api/health', headers: { origin: 'https://portal.example' } });
      assert.equal(plain.headers['access-control-allow-origin'], undefined);
      const allowed = await open.inject({ url: '/api/health', headers: { origin: 'https://portal.example' } });
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://portal.example');
      const other = await open.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    } finally {
      await closed.close();
      await open.close();
      warehouse.close();
    }
  });

  test('bodies above the limit are refused; training is rate-limited per address', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const app = await buildServer({ warehouse, webRoot: null, readers: 0, access: { bodyLimitBytes: 10_000 } });
    try {
      const headers = await bearerFor(warehouse, 'cm', ['campaign_manager', 'analyst']);
      const big = await app.inject({
        method: 'PUT',
        url: '/api/stream/rules/big',
        headers,
        payload: { name: 'x'.repeat(20_000) },
      });
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().error.code, 'PAYLOAD_TOO_LARGE');
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) {
        const answer = await app.inject({ method: 'POST', url: '/api/mining/churn', headers, payload: { model: 'x' } });
        statuses.push(answer.statusCode);
      }
      assert.deepEqual(statuses, [400, 400, 400, 400, 400, 400, 429, 429]);
    } finally {
      await app.close();
      warehouse.close();
    }
  });
});

describe('commands forwarded to the server that holds the warehouse', () => {
  let fixture: DemoFixture;
  before(async () => {
    fixture = await demoFixture();
  });
  after(() => {
    rmSync(localTokenPath(fixture.dbPath), { force: true });
    fixture.remove();
  });

  test('authenticate with the 0600 token beside the warehouse, and are refused without it', async () => {
    const warehouse = await fixture.open();
    const server = await startServer({ warehouse, port: 0, logLevel: 'silent', webRoot: null });
    const release = announceOwner(fixture.dbPath, { role: 'telmark serve', url: server.url });
    try {
      await ensureLocalToken(warehouse, systemClock, fixture.dbPath);
      const telmark = () =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          // Asynchronous, so this process's server can answer while the command waits.
          import('node:child_process').then(({ execFile }) =>
            execFile(
              process.execPath,
              ['bin/telmark.js', '--db', fixture.dbPath, '--format', 'json', 'kpi', 'subscribers', '--by', 'brand'],
              (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
            ),
          );
        });
      const forwarded = await telmark();
      assert.equal(forwarded.status, 0, forwarded.stderr);
      assert.match(forwarded.stderr, /asking it at/);
      assert.ok((JSON.parse(forwarded.stdout) as unknown[]).length >= 3);
      rmSync(localTokenPath(fixture.dbPath));
      const refused = await telmark();
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /sign in first/);
    } finally {
      release();
      await server.close();
      warehouse.close();
    }
  });
});

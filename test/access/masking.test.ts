// No full phone number reaches a role without `msisdn.unmasked`: every GET route of the server, crawled
// for every role on the demo operator (with trigger decisions in the outbox), an export in CSV, and
// every log line the server wrote. An agent sees the one number asked for, and only that one.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAudit, roles } from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import { bearerFor, samplePath } from './test-access.ts';

const fullNumber = /(?<![\d.])1\d{10}(?!\d)/g;

describe('masking of phone numbers', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  let numbers: string[];
  const logLines: string[] = [];

  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    numbers = (await warehouse.all<{ msisdn: string }>('SELECT msisdn FROM subscribers ORDER BY msisdn LIMIT 5')).map(
      (r) => r.msisdn,
    );
    for (const [i, msisdn] of numbers.entries()) {
      await warehouse.run(
        `INSERT INTO stream_outbox (decision_id, rule_id, rule_version, msisdn, area, message, service_id, event_ts,
           decided_at, status, suppression, reason, sent_at)
         VALUES (?, 'station-travel', 1, ?, '火车站', ?, NULL,
           TIMESTAMP '2026-03-30 08:00:00', TIMESTAMP '2026-03-30 08:00:01', 'pending', NULL, ?, NULL)`,
        [`d${i}`, msisdn, `回复1订购, 客服 ${numbers[(i + 1) % numbers.length]}`, `caller ${msisdn} near the station`],
      );
    }
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    app = await buildServer({
      warehouse,
      webRoot: null,
      logLevel: 'info',
      logStream,
      extraRoutes: [
        async (scope) => {
          // An export of a list, as an audience export will be: CSV with numbers in it.
          scope.get('/api/test/export.csv', { config: { right: 'kpi.read' } }, async (_request, reply) => {
            const rows = await warehouse.all<{ msisdn: string; brand: string }>(
              'SELECT msisdn, brand FROM subscribers ORDER BY msisdn LIMIT 20',
            );
            return reply
              .type('text/csv')
              .send(`msisdn,brand\n${rows.map((r) => `${r.msisdn},${r.brand}`).join('\n')}\n`);
          });
          // A customer card as the agent's profile will be: the customer and the numbers they called.
          scope.get('/api/test/customer/:msisdn', { config: { right: 'customer.view' } }, async (request) => {
            const { msisdn } = request.params as { msisdn: string };
            request.log.info({ msisdn, peers: numbers }, 'customer card');
            return { msisdn, peers: numbers.filter((n) => n !== msisdn) };
          });
        },
      ],
    });
  });
  after(async () => {
    await app.close();
    warehouse.close();
    fixture.remove();
  });

  test('an agent sees the full number asked for by exact number, every other number masked', async () => {
    const headers = await bearerFor(warehouse, 'agent-1', ['agent']);
    const asked = numbers[0] ?? '';
    const card = await app.inject({ url: `/api/test/customer/${asked}`, headers });
    assert.equal(card.statusCode, 200);
    assert.equal(card.json().msisdn, asked);
    assert.deepEqual(
      [...card.body.matchAll(fullNumber)].map((m) => m[0]),
      [asked],
    );
    for (const peer of card.json().peers as string[]) assert.match(peer, /^1\d{2}\*{4}\d{4}$/);
    const offers = await app.inject({ url: `/api/mining/offers/${asked}`, headers });
    assert.equal(offers.statusCode, 200);
    const views = await listAudit(warehouse, { actor: 'agent-1' });
    assert.deepEqual(
      views.map((r) => [r.action, r.target]),
      [
        ['GET /api/mining/offers/:msisdn', `msisdn=${asked}`],
        ['GET /api/test/customer/:msisdn', `msisdn=${asked}`],
      ],
    );
  });

  test('no body of any GET route, for any role, holds a full number', async () => {
    const routes = app.routeRights.filter(
      (r) => r.method === 'GET' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
    );
    assert.ok(routes.length >= 20);
    const leaks: string[] = [];
    const seen = new Set<number>();
    for (const role of roles) {
      const headers = await bearerFor(warehouse, `crawl-${role.replace('_', '-')}`, [role]);
      for (const route of routes) {
        const url = samplePath(route.url).replace('13800138000', numbers[1] ?? '');
        const response = await app.inject({ url, headers });
        seen.add(response.statusCode);
        const found = [...response.body.matchAll(fullNumber)].map((m) => m[0]);
        // The agent rule: the number in the path of a customer route may come back, no other.
        const allowed = route.right === 'customer.view' && role === 'agent' ? [numbers[1]] : [];
        const leaked = found.filter((n) => !allowed.includes(n));
        if (leaked.length > 0) leaks.push(`${role} GET ${url}: ${leaked.slice(0, 3).join(', ')}`);
      }
    }
    assert.deepEqual(leaks, []);
    assert.ok(seen.has(200) && seen.has(403));
  });

  test('the decisions and the audit log show masked numbers where they hold real ones', async () => {
    const manager = await bearerFor(warehouse, 'cm-1', ['campaign_manager']);
    const decisions = (await app.inject({ url: '/api/stream/decisions', headers: manager })).json().decisions as {
      msisdn: string;
      reason: string;
      message: string;
    }[];
    assert.equal(decisions.length, numbers.length);
    for (const d of decisions) {
      assert.match(d.msisdn, /^1\d{2}\*{4}\d{4}$/);
      assert.match(d.reason, /caller 1\d{2}\*{4}\d{4} near/);
      assert.match(d.message, /客服 1\d{2}\*{4}\d{4}/);
    }
    const admin = await bearerFor(warehouse, 'admin-1', ['admin']);
    const audit = await app.inject({ url: '/api/audit?limit=1000', headers: admin });
    assert.equal(audit.statusCode, 200);
    assert.ok((audit.json().rows as { target: string }[]).some((r) => /^msisdn=1\d{2}\*{4}\d{4}$/.test(r.target)));
    assert.equal(audit.body.match(fullNumber), null);
  });

  test('an export in CSV is masked and audited', async () => {
    const headers = await bearerFor(warehouse, 'an-1', ['analyst']);
    const csv = await app.inject({ url: '/api/test/export.csv', headers });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines.length, 21);
    assert.equal(csv.body.match(fullNumber), null);
    assert.match(lines[1] ?? '', /^1\d{2}\*{4}\d{4},/);
    const rows = await listAudit(warehouse, { actor: 'an-1', action: 'GET /api/test/export.csv' });
    assert.equal(rows.length, 1);
  });

  test('no log line holds a full number, though URLs and fields carried them', async () => {
    assert.ok(logLines.length > 50, `${logLines.length} log lines`);
    assert.ok(logLines.some((l) => l.includes('/api/test/customer/1') && l.includes('****')));
    assert.ok(logLines.some((l) => l.includes('customer card')));
    const leaking = logLines.filter((l) => /(?<![\d.])1\d{10}(?!\d)/.test(l));
    assert.deepEqual(leaking.slice(0, 3), []);
    for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line));
  });
});

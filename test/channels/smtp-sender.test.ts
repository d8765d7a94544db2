// E-mail through the same outbox and sender, against a real SMTP server on loopback (smtp-server):
// text and HTML from one template, a refused recipient failed with the SMTP code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { runSender, sendList } from '../../src/channels/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

test('an e-mail list goes out over SMTP with text and HTML; a refused address fails with its code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-smtp-'));
  const received: { to: string; body: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) {
        const error = new Error('no such user') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const warehouse = await Warehouse.open(join(dir, 'mail.duckdb'));
  try {
    const config = structuredClone(defaultConfig.channels);
    config.policy.quietHours = 'off';
    config.policy.controlGroupShare = 0;
    const list = join(dir, 'list.csv');
    writeFileSync(list, 'email,name\nzhang@example.com,张三\nli@example.com,Li & Co\nnobody@example.com,X\n');
    const queued = await sendList(warehouse, {
      file: list,
      text: '{name}，您好：\n本月流量包 10 元。',
      channel: 'email',
      subject: '流量包',
      config,
      clock: systemClock,
    });
    assert.equal(queued.queued, 3);
    await runSender({ warehouse, config, clock: systemClock, smtpUrl: `smtp://127.0.0.1:${port}`, once: true });
    assert.deepEqual(received.map((r) => r.to).sort(), ['li@example.com', 'zhang@example.com']);
    const li = received.find((r) => r.to === 'li@example.com')!.body;
    assert.match(li, /Content-Type: text\/plain/);
    assert.match(li, /Content-Type: text\/html/);
    const html = await warehouse.one<{ html: string }>(
      `SELECT html FROM channel_outbox WHERE recipient = 'li@example.com'`,
    );
    assert.equal(html?.html, '<p>Li &#38; Co，您好：<br>本月流量包 10 元。</p>', 'HTML escaped from the same template');
    const decoded = [...li.matchAll(/base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map((m) =>
      Buffer.from(m[1]!.replace(/\s/g, ''), 'base64').toString('utf8'),
    );
    assert.ok(decoded.includes('Li & Co，您好：\n本月流量包 10 元。'), JSON.stringify(decoded));
    assert.ok(decoded.includes(html!.html));
    const rows = await warehouse.all<{ recipient: string; status: string; reason: string | null }>(
      'SELECT recipient, status, reason FROM channel_outbox ORDER BY recipient',
    );
    assert.deepEqual(rows, [
      { recipient: 'li@example.com', status: 'submitted', reason: null },
      { recipient: 'nobody@example.com', status: 'failed', reason: 'smtp_550' },
      { recipient: 'zhang@example.com', status: 'submitted', reason: null },
    ]);
  } finally {
    warehouse.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

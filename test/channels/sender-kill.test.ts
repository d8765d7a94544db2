// Crash safety: `telmark sender` killed with kill -9 at random moments of a batch, then run to the end.
// By the SMSC's own log every message went at most once, every message not in the log is `unknown`,
// and `unknown` stays within one window per kill: 20 kills of a 5,000-message batch (about two minutes
// on a contended two-core machine).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inGlobalControlGroup, queueMessages } from '../../src/channels/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { startSmscProcess } from './smsc-process.ts';

const MESSAGES = 5000;
const KILLS = 20;
const WINDOW = 10;

const dir = mkdtempSync(join(tmpdir(), 'telmark-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test(`kill -9 at ${KILLS} random moments of a ${MESSAGES}-message batch: nothing twice, nothing lost`, async (t) => {
  const db = join(dir, 'kill.duckdb');
  const logFile = join(dir, 'smsc.log');
  const env = {
    ...process.env,
    TELMARK_QUIET_HOURS: 'off',
    TELMARK_CAP_PER_DAY: '0',
    TELMARK_CAP_PER_WEEK: '0',
    TELMARK_CAP_PER_MONTH: '0',
  };
  const config = structuredClone(defaultConfig.channels);
  config.policy.quietHours = 'off';
  config.policy.capPerDay = 0;
  config.policy.capPerWeek = 0;
  config.policy.capPerMonth = 0;
  const to: string[] = [];
  for (let i = 0; to.length < MESSAGES; i++) {
    const msisdn = `136${String(i).padStart(8, '0')}`;
    if (!inGlobalControlGroup(msisdn, config.policy.controlGroupShare)) to.push(msisdn);
  }
  const warehouse = await Warehouse.open(db);
  await queueMessages(
    warehouse,
    {
      source: 'campaign',
      sourceRef: 'kill',
      messages: to.map((r, i) => ({ recipient: r, text: `Kill test message ${i}` })),
    },
    { config, clock: systemClock },
  );
  warehouse.close();

  const smsc = await startSmscProcess(logFile, ['--receipt-delay', '30', '--response-delay', '2']);
  const logged = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').length - 1 : 0);
  const sender = () =>
    spawn(
      process.execPath,
      [
        'bin/telmark.js',
        '--db',
        db,
        'sender',
        '--smsc',
        smsc.url,
        '--once',
        '--window',
        String(WINDOW),
        '--tps',
        '400',
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      const child = sender();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // Wait until this run is on the wire, then a random moment more.
      const before = logged();
      const started = Date.now();
      while (logged() === before && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 250)));
      child.kill('SIGKILL');
      await exited;
    }
    const last = sender();
    let stderr = '';
    last.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => last.once('exit', resolve));
    assert.equal(code, 0, stderr);
  } finally {
    await smsc.stop();
  }

  const log = smsc.log();
  const texts = log.map((e) => e.text);
  assert.equal(new Set(texts).size, texts.length, 'the SMSC got no message twice');
  const check = await Warehouse.open(db);
  try {
    const rows = await check.all<{ status: string; n: number }>(
      'SELECT status, count(*)::INTEGER AS n FROM channel_outbox GROUP BY ALL ORDER BY ALL',
    );
    const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    const unknown = count('unknown');
    t.diagnostic(`after ${KILLS} kills: ${texts.length} in the SMSC log, ${unknown} unknown, ${JSON.stringify(rows)}`);
    assert.ok(unknown <= KILLS * WINDOW, `${unknown} unknown > ${KILLS} kills × window ${WINDOW}`);
    assert.equal(count('pending') + count('submitting'), 0, JSON.stringify(rows));
    assert.equal(count('delivered') + count('submitted') + unknown, MESSAGES, JSON.stringify(rows));
    // Every message the outbox says went out is in the SMSC's log; what is missing there is among the unknown.
    const missing = await check.scalar(
      `SELECT count(*) FROM channel_outbox WHERE status <> 'unknown'
         AND text NOT IN (SELECT unnest(string_split(?, chr(10))))`,
      [texts.join('\n')],
    );
    assert.equal(missing, 0);
    assert.ok(MESSAGES - texts.length <= unknown, `${MESSAGES - texts.length} never sent, only ${unknown} unknown`);
    assert.ok(
      (await check.scalar(`SELECT count(*) FROM channel_outbox WHERE reason = 'no_answer_before_crash'`)) === unknown,
    );
  } finally {
    check.close();
  }
});

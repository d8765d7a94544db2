// The alert timer of `telmark serve` against a real SMPP server on loopback (`telmark smsc` in its own
// process) and the real sender: a new anomaly goes out as one SMS with no command run, a silenced one
// does not, the on-call person's "确认" reply acknowledges it, a second reply changes nothing, and no
// repeat or escalation follows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  addSilence,
  ackWordIn,
  loadAlertGroups,
  saveAlertConfig,
  startAlertTimer,
  type AlertTick,
} from '../../src/alerts/index.ts';
import { type Anomaly, saveAnomalies } from '../../src/anomalies/index.ts';
import { parseSmppUrl, runSender } from '../../src/channels/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { startSmscProcess } from '../channels/smsc-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-alert-timer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ONCALL = '13800000001';
const MANAGER = '13900000002';

function anomaly(kpi: string, county: string): Anomaly {
  return {
    series: `${kpi}|county=${county}`,
    kpi,
    dimensions: { county },
    day: '2026-03-23',
    kind: 'deviation',
    observed: 1240,
    expected: 180,
    bandLow: 140,
    bandHigh: 220,
    score: 26,
    pValue: 1e-9,
    severity: 'critical',
    explanation: { zh: `${county} ${kpi}: 1,240 vs 180 ± 40`, en: `${kpi} in ${county}: 1,240 vs 180 ± 40` },
  };
}

/** Distinct messages in an SMSC log: the parts of one concatenated SMS share a reference. */
function messagesIn(log: { smscId: string; ref?: number }[]): number {
  return new Set(log.map((e) => (e.ref === undefined ? `id:${e.smscId}` : `ref:${e.ref}`))).size;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('ack words: trimmed, any case, only whole replies', () => {
  const words = defaultConfig.alerts.ackWords;
  assert.equal(ackWordIn(' 确认 ', words), '确认');
  assert.equal(ackWordIn('ack', words), 'ACK');
  assert.equal(ackWordIn('确认一下这是什么', words), undefined);
});

test('serve timer: routed without a command, silenced stays quiet, "确认" by SMS acknowledges once', async () => {
  const smsc = await startSmscProcess(join(dir, 'smsc.log'), ['--receipt-delay', '20']);
  const warehouse = await Warehouse.open(join(dir, 'alerts.duckdb'));
  const clock = fixedClock('2026-03-24T07:00:00Z');
  const config = structuredClone(defaultConfig.channels);
  const abort = new AbortController();
  let sender: Promise<unknown> = Promise.resolve();
  const ticks: AlertTick[] = [];
  const timer = startAlertTimer(warehouse, {
    clock,
    everyMs: 100,
    ackWords: defaultConfig.alerts.ackWords,
    channels: config,
    onTick: (t) => ticks.push(t),
    onError: (e) => assert.fail(e as Error),
  });
  try {
    await saveAlertConfig(warehouse, {
      routes: [
        {
          name: 'ops',
          match: { minSeverity: 'warning' },
          groupBy: ['day', 'kpi'],
          steps: [[{ kind: 'sms', phone: ONCALL }], [{ kind: 'sms', phone: MANAGER }]],
          escalateAfterMinutes: 30,
          repeatAfterMinutes: 240,
        },
      ],
      oncall: [],
    });
    await addSilence(
      warehouse,
      { matcher: { kpi: 'orders' }, minutes: 600, createdBy: 'ops', comment: 'planned promotion' },
      clock,
    );
    sender = runSender({
      warehouse,
      config,
      clock,
      smsc: parseSmppUrl(smsc.url),
      signal: abort.signal,
      idleMs: 50,
    });
    // A detector (a load, the live stream) stores anomalies; nobody runs a command.
    await saveAnomalies(
      warehouse,
      { from: '2026-03-23', to: '2026-03-23' },
      [anomaly('cancellations', '龙川'), anomaly('orders', '紫金')],
      clock,
    );
    // A long alert goes out in several concatenated parts, each its own submit: wait for all of them.
    const sent = await until('every part of the alert SMS', async () => {
      const log = smsc.log().filter((e) => e.to === ONCALL);
      return log.length > 0 && log.length === (log[0]?.total ?? 1) ? log : undefined;
    });
    assert.equal(messagesIn(sent), 1, 'one alert message for the open group');
    const groups = await loadAlertGroups(warehouse);
    const open = groups.find((g) => g.status === 'open');
    assert.ok(open, JSON.stringify(groups));
    assert.equal(groups.find((g) => g.key !== open.key)?.status, 'silenced', 'the silenced KPI is not sent');

    smsc.send(`mo ${ONCALL} 确认`);
    const acked = await until('the acknowledgement', async () => {
      const g = (await loadAlertGroups(warehouse)).find((x) => x.key === open.key);
      return g?.status === 'acknowledged' ? g : undefined;
    });
    assert.equal(acked.ackedBy, `sms:${ONCALL}`);

    smsc.send(`mo ${ONCALL} 确认`);
    const outcomes = await until('the second reply judged', async () => {
      const rows = await warehouse.all<{ outcome: string }>('SELECT outcome FROM alert_replies ORDER BY response_id');
      return rows.length === 2 ? rows.map((r) => r.outcome) : undefined;
    });
    assert.deepEqual(outcomes, ['acknowledged', 'already_acknowledged']);

    // An hour on: no repeat and no escalation to the manager for an acknowledged alert.
    clock.advance(60 * 60_000);
    const before = ticks.length;
    await until('two more ticks', async () => (ticks.length >= before + 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    const log = smsc.log();
    const toOncall = log.filter((e) => e.to === ONCALL);
    assert.equal(messagesIn(toOncall), 1, 'de-duplicated: one SMS per alert');
    assert.equal(toOncall.length, sent.length, 'no part sent twice');
    assert.equal(log.filter((e) => e.to === MANAGER).length, 0, 'acknowledged: no escalation');
  } finally {
    await timer.stop();
    abort.abort();
    await sender;
    warehouse.close();
    await smsc.stop();
  }
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import { TriggerEngine } from '../../../src/stream/engine/trigger-engine.ts';
import { parseEventTime } from '../../../src/stream/events/event-time.ts';
import { applyRuleFile } from '../../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';
import { readSnapshot, writeSnapshot } from '../../../src/stream/state/engine-snapshot.ts';
import { loadProfileCsv } from '../../../src/stream/state/load-profiles.ts';
import { heyuanCells } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-who-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rules = `
control: 0
quiet_hours: off
geofences:
  - { id: campus, cells: ["9310-201"] }
rules:
  - id: travellers-with-score
    where: { geofences: [campus] }
    who: { segments: [traveller], scores: [{ model: m12580, min: 0.5 }] }
    message: { text: 出行助手 }
  - id: anywhere-sms-12580
    behaviour: { all: [{ event: [sms_out, call_out], peer: "12580", within: 1h, at_least: 2 }] }
    message: { text: 谢谢使用12580 }
`;

function engineWith(text: string, decisions: string[]): TriggerEngine {
  const engine = new TriggerEngine({
    cells: heyuanCells(),
    clock: fixedClock('2026-03-01T00:00:00Z'),
    onDecision: (d) => decisions.push(`${d.ruleId} ${d.msisdn} ${d.status}`),
  });
  applyRuleFile(engine, parseRuleText(text, 'rules.yaml'));
  return engine;
}

function send(
  engine: TriggerEngine,
  ts: string,
  msisdn: string,
  event: 'call_out' | 'sms_out' | 'location_update',
  cellId: string,
  peer = '',
) {
  engine.process({ tsMs: parseEventTime(`2026-03-01 ${ts}`), msisdn, event, cellId, peer, durationSec: 0 });
}

describe('who: segments and model scores from a profile file', () => {
  it('matches only subscribers in the segment with a high enough score', () => {
    const decisions: string[] = [];
    const engine = engineWith(rules, decisions);
    writeFileSync(
      join(dir, 'profiles.csv'),
      'msisdn,segment,score_m12580,opted_out\n13800000001,traveller,0.7,0\n13800000002,traveller,0.2,0\n13800000003,student,0.9,0\n',
    );
    assert.equal(loadProfileCsv(join(dir, 'profiles.csv'), engine), 3);
    for (const m of ['13800000001', '13800000002', '13800000003', '13800000004'])
      send(engine, '10:00:00', m, 'location_update', '9310-201');
    assert.deepEqual(decisions, ['travellers-with-score 13800000001 pending']);
  });

  it('keeps scores and segments when the state grows past its first capacity', () => {
    const decisions: string[] = [];
    const engine = engineWith(rules, decisions);
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `1390000${String(i).padStart(4, '0')},traveller,${i === 2999 ? 0.9 : 0.1},0`,
    );
    writeFileSync(join(dir, 'many.csv'), `msisdn,segment,score_m12580,opted_out\n${rows.join('\n')}\n`);
    loadProfileCsv(join(dir, 'many.csv'), engine);
    send(engine, '10:00:00', '13900000005', 'location_update', '9310-201');
    send(engine, '10:00:00', '13900002999', 'location_update', '9310-201');
    assert.deepEqual(decisions, ['travellers-with-score 13900002999 pending']);
  });

  it('counts hits of several event kinds together for at_least, anywhere', () => {
    const decisions: string[] = [];
    const engine = engineWith(rules, decisions);
    send(engine, '10:00:00', '13800000009', 'sms_out', '9320-301', '12580');
    assert.deepEqual(decisions, []);
    send(engine, '10:30:00', '13800000009', 'call_out', '9320-301', '12580');
    assert.deepEqual(decisions, ['anywhere-sms-12580 13800000009 pending']);
  });
});

describe('snapshots', () => {
  it('restore into a rule file whose rules were reordered and extended, keeping caps and geofence stays', () => {
    const before: string[] = [];
    const first = engineWith(rules, before);
    send(first, '10:00:00', '13800000009', 'sms_out', '9310-201', '12580');
    send(first, '10:10:00', '13800000009', 'sms_out', '9310-201', '12580');
    assert.deepEqual(before, ['anywhere-sms-12580 13800000009 pending']);
    writeSnapshot(first, join(dir, 'state.snap'));

    const reordered = rules.replace(
      'rules:\n',
      'rules:\n  - id: campus-dwell\n    where: { geofences: [campus], dwell: 30m }\n    message: { text: 久坐 }\n',
    );
    const after: string[] = [];
    const second = engineWith(reordered, after);
    assert.deepEqual(readSnapshot(second, join(dir, 'state.snap')), { position: -1, subscribers: 1 });
    send(second, '10:20:00', '13800000009', 'sms_out', '9310-201', '12580');
    assert.deepEqual(after, ['anywhere-sms-12580 13800000009 suppressed']);
    send(second, '10:30:00', '13800000009', 'location_update', '9310-201');
    assert.deepEqual(after, ['anywhere-sms-12580 13800000009 suppressed', 'campus-dwell 13800000009 pending']);
  });
});

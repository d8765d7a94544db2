import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { harness, stationRules } from '../stream-fixtures.ts';

const A = '13800000001';
const B = '13800000002';

describe('station rule: called 114 but not 12580 in the last 30 minutes', () => {
  it('fires when a subscriber at the station calls 114, with the station variant of the message', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', A, 'location_update', '9310-101');
    h.send('2026-03-01 10:05:00', A, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), [`station-114-not-12580 ${A} pending`]);
    assert.equal(h.decisions[0]!.message, '火车站拨打12580订票享优惠');
    assert.equal(h.decisions[0]!.area, 'station');
    assert.match(h.decisions[0]!.reason, /no call_out 12580 in 30m/);
  });

  it('does not fire when the subscriber called 12580 within the window (negation)', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', A, 'call_out', '9310-101', '12580');
    h.send('2026-03-01 10:30:00', A, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), []);
  });

  it('counts a 12580 call exactly 30 minutes before as inside the window, 30 min 1 s as outside', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', A, 'call_out', '9310-101', '12580');
    h.send('2026-03-01 10:00:00', B, 'call_out', '9310-101', '12580');
    h.send('2026-03-01 10:30:00', A, 'call_out', '9310-101', '114');
    h.send('2026-03-01 10:30:01', B, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), [`station-114-not-12580 ${B} pending`]);
  });

  it('fires on entering the station when 114 was called elsewhere within the window, not after it', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', A, 'call_out', '9320-301', '114');
    h.send('2026-03-01 10:00:00', B, 'call_out', '9320-301', '114');
    h.send('2026-03-01 10:30:00', A, 'location_update', '9310-102');
    h.send('2026-03-01 10:30:01', B, 'location_update', '9310-102');
    assert.deepEqual(h.fired(), [`station-114-not-12580 ${A} pending`]);
  });

  it('does not fire away from the station', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', A, 'call_out', '9310-201', '114');
    assert.deepEqual(h.fired(), []);
  });

  it('fires once per subscriber per day, records the cap suppression once, and fires again the next day', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', A, 'call_out', '9310-101', '114');
    h.send('2026-03-01 10:10:00', A, 'call_out', '9310-101', '114');
    h.send('2026-03-01 10:20:00', A, 'call_out', '9310-101', '114');
    h.send('2026-03-02 09:00:00', A, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), [
      `station-114-not-12580 ${A} pending`,
      `station-114-not-12580 ${A} suppressed:cap`,
      `station-114-not-12580 ${A} pending`,
    ]);
  });

  it('suppresses during quiet hours with the reason, then sends after they end', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 07:59:59', A, 'call_out', '9310-101', '114');
    h.send('2026-03-01 07:59:59', B, 'call_out', '9310-101', '114');
    h.send('2026-03-01 08:00:00', A, 'call_out', '9310-101', '114');
    h.send('2026-03-01 21:00:00', B, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), [
      `station-114-not-12580 ${A} suppressed:quiet_hours`,
      `station-114-not-12580 ${B} suppressed:quiet_hours`,
      `station-114-not-12580 ${A} pending`,
    ]);
    assert.match(h.decisions[0]!.reason, /quiet hours/);
  });

  it('suppresses opted-out subscribers with the reason', () => {
    const h = harness(stationRules);
    h.engine.state.optedOut[h.engine.state.indexOf(A)] = 1;
    h.send('2026-03-01 10:00:00', A, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), [`station-114-not-12580 ${A} suppressed:opted_out`]);
  });
});

const fenceRules = `
control: 0
quiet_hours: off
geofences:
  - { id: campus, name: 大学城, cells: ["9310-201"] }
  - { id: near-station, centre: { lat: 23.7431, lon: 114.6812 }, radius_m: 300 }
rules:
  - id: welcome
    where: { geofences: [campus], on: enter }
    message: { text: 欢迎来到大学城 }
  - id: stayed
    where: { geofences: [campus], dwell: 20m }
    message: { text: 12580 查天气 }
  - id: goodbye
    where: { geofences: [near-station], on: leave, dwell: 10m }
    message: { text: 一路平安 }
  - id: gotone-only
    where: { geofences: [campus], on: enter }
    who: { brands: [gotone] }
    message: { text: 全球通专享 }
`;

describe('geofences: entering, dwelling and leaving', () => {
  it('fires the enter rule on the first event inside, once', () => {
    const h = harness(fenceRules);
    h.send('2026-03-01 10:00:00', A, 'location_update', '9320-301');
    h.send('2026-03-01 10:05:00', A, 'location_update', '9310-201');
    h.send('2026-03-01 10:06:00', A, 'call_in', '9310-201');
    assert.deepEqual(h.fired(), [`welcome ${A} pending`]);
  });

  it('fires the dwell rule only once the subscriber has been inside 20 minutes', () => {
    const h = harness(fenceRules);
    h.send('2026-03-01 10:00:00', A, 'location_update', '9310-201');
    h.send('2026-03-01 10:19:59', A, 'call_in', '9310-201');
    assert.deepEqual(h.fired(), [`welcome ${A} pending`]);
    h.send('2026-03-01 10:20:00', A, 'call_in', '9310-201');
    assert.deepEqual(h.fired(), [`welcome ${A} pending`, `stayed ${A} pending`]);
  });

  it('restarts dwell after leaving and coming back', () => {
    const h = harness(fenceRules);
    h.send('2026-03-01 10:00:00', A, 'location_update', '9310-201');
    h.send('2026-03-01 10:15:00', A, 'location_update', '9320-301');
    h.send('2026-03-01 10:16:00', A, 'location_update', '9310-201');
    h.send('2026-03-01 10:30:00', A, 'location_update', '9310-201');
    assert.ok(!h.fired().some((f) => f.startsWith('stayed')));
    h.send('2026-03-01 10:36:00', A, 'location_update', '9310-201');
    assert.ok(h.fired().includes(`stayed ${A} pending`));
  });

  it('fires the leave rule when leaving the radius after 10 minutes, not after a short visit', () => {
    const h = harness(fenceRules);
    h.send('2026-03-01 10:00:00', A, 'location_update', '9310-101');
    h.send('2026-03-01 10:00:00', B, 'location_update', '9310-101');
    h.send('2026-03-01 10:05:00', B, 'location_update', '9320-301');
    h.send('2026-03-01 10:12:00', A, 'location_update', '9320-301');
    assert.deepEqual(h.fired(), [`goodbye ${A} pending`]);
    assert.match(h.decisions[0]!.reason, /leave near-station for 12 min/);
  });

  it('treats detach as leaving every geofence', () => {
    const h = harness(fenceRules);
    h.send('2026-03-01 10:00:00', A, 'location_update', '9310-102');
    h.send('2026-03-01 10:30:00', A, 'detach', '9310-102');
    assert.deepEqual(h.fired(), [`goodbye ${A} pending`]);
  });

  it('applies who: brand filters, leaving unknown subscribers out', () => {
    const h = harness(fenceRules);
    h.engine.state.brand[h.engine.state.indexOf(B)] = 0; // gotone
    h.send('2026-03-01 10:00:00', A, 'location_update', '9310-201');
    h.send('2026-03-01 10:00:00', B, 'location_update', '9310-201');
    assert.deepEqual(h.fired(), [`welcome ${A} pending`, `welcome ${B} pending`, `gotone-only ${B} pending`]);
  });
});

describe('rules change while running', () => {
  it('pauses, edits and removes rules without restart', () => {
    const h = harness(stationRules.replace('control: 0', 'control: 0\ncap_days: 0'));
    h.engine.rules.setPaused('station-114-not-12580', true);
    h.send('2026-03-01 10:00:00', A, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), []);
    h.engine.rules.setPaused('station-114-not-12580', false);
    h.send('2026-03-01 10:01:00', A, 'call_out', '9310-101', '114');
    assert.equal(h.decisions.length, 1);
    const edited = {
      ...h.engine.rules.get('station-114-not-12580')!.definition,
      message: { text: '新文案', variants: {} },
    };
    h.engine.rules.upsert(edited);
    h.send('2026-03-01 10:02:00', A, 'call_out', '9310-101', '114');
    assert.equal(h.decisions[1]!.message, '新文案');
    assert.equal(h.decisions[1]!.ruleVersion, 2);
    h.engine.rules.remove('station-114-not-12580');
    h.send('2026-03-01 10:03:00', A, 'call_out', '9310-101', '114');
    assert.equal(h.decisions.length, 2);
  });
});

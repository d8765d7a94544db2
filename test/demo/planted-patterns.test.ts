import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addMonths, dateText, dayNumberOf } from '../../src/demo/calendar-text.ts';
import {
  demoServices,
  describeSubscriber,
  generateDemoOperator,
  indexOfMsisdn,
  msisdnOf,
  plantedPatterns,
  plantedPropensity,
} from '../../src/demo/index.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { columnsOf, readFeed } from './demo-files.ts';

// One month of a mid-sized operator, shared by every check below.
const dir = mkdtempSync(join(tmpdir(), 'telmark-patterns-'));
const seed = 12580;
const start = '2026-03-01';
const startDay = dayNumberOf(start)!;
const dayText = (offset: number) => dateText(startDay + offset);

type Rows = string[][];
let subscribers: Rows;
let subscriptions: Rows;
let orders: Rows;

describe('planted patterns of the demo operator', () => {
  before(async () => {
    await generateDemoOperator({
      outDir: dir,
      subscribers: 12_000,
      days: 30,
      start,
      seed,
      signallingDays: [29],
      signallingPerSubscriber: 12,
      gzip: false,
    });
    subscribers = readFeed(dir, 'subscribers');
    subscriptions = readFeed(dir, 'subscriptions');
    orders = readFeed(dir, 'orders');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes holders of A more likely to hold B for each cross-sell pair', () => {
    const held = new Map<string, Set<string>>();
    for (const [msisdn, service] of subscriptions) {
      if (!held.has(service!)) held.set(service!, new Set());
      held.get(service!)!.add(msisdn!);
    }
    const base = subscribers.length;
    for (const pair of plantedPatterns.crossSell) {
      const from = held.get(demoServices.find((s) => s.category === categoryOf(pair.from))!.serviceId)!;
      const to = held.get(demoServices.find((s) => s.category === categoryOf(pair.to))!.serviceId)!;
      const both = [...from].filter((m) => to.has(m)).length;
      const lift = both / from.size / (to.size / base);
      assert.ok(lift > 1.8, `${pair.from} → ${pair.to}: observed lift ${lift.toFixed(2)}`);
    }
  });

  it('closes more accounts of complainers (10086 complaint calls) than of others', () => {
    const c = columnsOf('subscribers');
    const closed = new Set(subscribers.filter((r) => r[c.status!] === 'closed').map((r) => r[0]!));
    const share = closed.size / subscribers.length;
    assert.ok(share > 0.01 && share < 0.08, `churn ${share}`);
    for (const row of subscribers.filter((r) => r[c.status!] === 'closed')) {
      const changed = row[c.status_changed_on!]!;
      assert.ok(changed >= start && changed <= dayText(29), `closed on ${changed}`);
    }
    const complainers = new Set(
      readFeed(dir, 'ivr')
        .filter((r) => r[2] === '10086' && r[4]!.startsWith('complaint/'))
        .map((r) => r[1]!),
    );
    const rate = (group: string[]) => group.filter((m) => complainers.has(m)).length / group.length;
    const closedRate = rate([...closed]);
    const openRate = rate(subscribers.filter((r) => !closed.has(r[0]!)).map((r) => r[0]!));
    assert.ok(closedRate > 2.5 * openRate, `complainers among churners ${closedRate}, others ${openRate}`);
  });

  it('makes most unused trials cancel when the free months end, and few used ones', () => {
    const trials = subscriptions.filter((r) => r[4] === '1');
    assert.ok(trials.length > 300, `${trials.length} trials at the opening`);
    const usedBefore = new Map<string, string>();
    const noteUse = (msisdn: string, service: string, ts: string) => {
      const key = `${msisdn}|${service}`;
      if (!usedBefore.has(key) || usedBefore.get(key)! > ts) usedBefore.set(key, ts);
    };
    for (const row of readFeed(dir, 'sms'))
      if (row[4] !== '' && (row[3] === 'sp_mo' || row[5] === '1')) noteUse(row[1]!, row[4]!, row[0]!);
    for (const row of readFeed(dir, 'wap')) if (row[3] !== '') noteUse(row[1]!, row[3]!, row[0]!);
    const cancelledOn = new Map<string, string>();
    for (const row of orders)
      if (row[4] === 'unsubscribe') cancelledOn.set(`${row[2]}|${row[3]}`, row[1]!.slice(0, 10));
    const outcome = { used: { n: 0, cancelled: 0 }, unused: { n: 0, cancelled: 0 } };
    for (const [msisdn, service, subscribedOn] of trials) {
      const months = demoServices.find((s) => s.serviceId === service)!.trialMonths;
      const ends = dateText(addMonths(dayNumberOf(subscribedOn!)!, months));
      if (ends < dayText(3) || ends > dayText(29)) continue;
      const key = `${msisdn}|${service}`;
      const group = usedBefore.has(key) && usedBefore.get(key)!.slice(0, 10) < ends ? outcome.used : outcome.unused;
      group.n++;
      if (cancelledOn.get(key) === ends) group.cancelled++;
    }
    const usedRate = outcome.used.cancelled / outcome.used.n;
    const unusedRate = outcome.unused.cancelled / outcome.unused.n;
    assert.ok(outcome.used.n > 50 && outcome.unused.n > 100, JSON.stringify(outcome));
    assert.ok(unusedRate > 0.7 && usedRate < 0.3, `cancel at trial end: unused ${unusedRate}, used ${usedRate}`);
  });

  it('sends station callers to 114 and travel menus', () => {
    const cellArea = new Map(readFeed(dir, 'cells').map((r) => [r[0]!, r[8]!]));
    const menuOf = new Map(
      readFeed(dir, 'ivr')
        .filter((r) => r[0]!.startsWith(dayText(29)))
        .map((r) => [`${r[1]}|${r[0]}`, r[4]!]),
    );
    const tally = { station: { calls: 0, c114: 0, travel: 0 }, elsewhere: { calls: 0, c114: 0, travel: 0 } };
    for (const row of readFeed(dir, 'signalling')) {
      if (row[2] !== 'call_out' || !['114', '12580', '12590'].includes(row[4]!)) continue;
      const t = cellArea.get(row[3]!) === 'station' ? tally.station : tally.elsewhere;
      t.calls++;
      if (row[4] === '114') t.c114++;
      if (menuOf.get(`${row[1]}|${row[0]!.slice(0, 19)}`)?.startsWith('travel/')) t.travel++;
    }
    assert.ok(tally.station.calls > 30, JSON.stringify(tally));
    assert.ok(tally.station.c114 / tally.station.calls > tally.elsewhere.c114 / tally.elsewhere.calls + 0.05);
    assert.ok(tally.station.travel / tally.station.calls > 3 * (tally.elsewhere.travel / tally.elsewhere.calls));
  });

  it('puts mzone subscribers on campus', () => {
    const cellArea = new Map(readFeed(dir, 'cells').map((r) => [r[0]!, r[8]!]));
    const brandOf = new Map(subscribers.map((r) => [r[0]!, r[1]!]));
    const campus = new Set<string>();
    for (const row of readFeed(dir, 'signalling'))
      if (row[0]! < `${dayText(29)} 06` && cellArea.get(row[3]!) === 'campus') campus.add(row[1]!);
    const mzone = (group: Iterable<string>) => {
      const list = [...group];
      return list.filter((m) => brandOf.get(m) === 'mzone').length / list.length;
    };
    assert.ok(
      mzone(campus) > 0.55 && mzone(brandOf.keys()) < 0.3,
      `campus ${mzone(campus)} vs all ${mzone(brandOf.keys())}`,
    );
  });

  it('makes weekends busier on WAP', () => {
    const perDay = new Map<string, number>();
    for (const row of readFeed(dir, 'wap'))
      perDay.set(row[0]!.slice(0, 10), (perDay.get(row[0]!.slice(0, 10)) ?? 0) + 1);
    const mean = (weekend: boolean) => {
      const days = [...perDay].filter(([d]) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) === weekend);
      return days.reduce((s, [, n]) => s + n, 0) / days.length;
    };
    assert.ok(mean(true) > 1.15 * mean(false), `weekend ${mean(true)} weekday ${mean(false)}`);
  });

  it('makes subscribers with a higher planted propensity order more', () => {
    const heldAtOpening = new Set(subscriptions.map((r) => `${r[0]}|${r[1]}`));
    const ordered = new Set(
      orders.filter((r) => r[4] === 'subscribe' && r[5] !== 'bundle' && r[7] === '1').map((r) => `${r[2]}|${r[3]}`),
    );
    const groups = { high: { n: 0, ordered: 0 }, low: { n: 0, ordered: 0 } };
    for (const service of demoServices)
      for (const [msisdn] of subscribers) {
        if (heldAtOpening.has(`${msisdn}|${service.serviceId}`)) continue;
        const group = plantedPropensity(seed, msisdn!, service.serviceId) >= 0.15 ? groups.high : groups.low;
        group.n++;
        if (ordered.has(`${msisdn}|${service.serviceId}`)) group.ordered++;
      }
    const high = groups.high.ordered / groups.high.n;
    const low = groups.low.ordered / groups.low.n;
    assert.ok(groups.high.n > 1000 && high > 2 * low, `order rate: propensity >= 0.15 ${high}, below ${low}`);
  });

  it('plants a burst of unconfirmed orders and a county cancellation jump on known days', () => {
    const burst = plantedPatterns.anomalies.unconfirmedBurst;
    const unconfirmed = new Map<string, number>();
    for (const row of orders)
      if (row[7] === '0' && row[5] === burst.channel) {
        const day = row[1]!.slice(0, 10);
        unconfirmed.set(day, (unconfirmed.get(day) ?? 0) + 1);
      }
    const burstDay = unconfirmed.get(dayText(burst.dayOffset)) ?? 0;
    const otherMax = Math.max(0, ...[...unconfirmed].filter(([d]) => d !== dayText(burst.dayOffset)).map(([, n]) => n));
    assert.ok(burstDay > 5 * Math.max(1, otherMax), `burst ${burstDay}, other days at most ${otherMax}`);

    const jump = plantedPatterns.anomalies.countyCancellationJump;
    const countyOf = new Map(subscribers.map((r) => [r[0]!, r[3]!]));
    const cancels = new Map<string, number>();
    for (const row of orders)
      if (row[4] === 'unsubscribe' && countyOf.get(row[2]!) === jump.county) {
        const day = row[1]!.slice(0, 10);
        cancels.set(day, (cancels.get(day) ?? 0) + 1);
      }
    const jumpDay = cancels.get(dayText(jump.dayOffset)) ?? 0;
    const others = [...cancels].filter(([d]) => d !== dayText(jump.dayOffset)).map(([, n]) => n);
    assert.ok(jumpDay > 4 * Math.max(...others), `jump ${jumpDay}, other days at most ${Math.max(...others)}`);
  });
});

describe('plantedPropensity', () => {
  it('recomputes a subscriber from the seed and the number alone', () => {
    for (const index of [0, 1, 77, 12_345, 999_999]) {
      const msisdn = msisdnOf(index);
      assert.match(msisdn, /^1\d{10}$/);
      assert.equal(indexOfMsisdn(msisdn), index);
      const profile = describeSubscriber(seed, index);
      for (const service of demoServices) {
        const p = plantedPropensity(seed, msisdn, service.serviceId);
        assert.equal(p, plantedPropensity(seed, msisdn, service.serviceId));
        assert.ok(p >= 0 && p <= plantedPatterns.propensity.cap);
        if (profile.holdings & (1 << demoServices.indexOf(service))) assert.equal(p, 0);
      }
    }
  });

  it('carries the cross-sell lift: music propensity is higher for ringback-tone holders', () => {
    const music = { holders: [] as number[], others: [] as number[] };
    for (let index = 0; index < 4000; index++) {
      const profile = describeSubscriber(seed, index);
      if (profile.holdings & (1 << 4)) continue;
      const p = plantedPropensity(seed, msisdnOf(index), 'music');
      (profile.holdings & 1 ? music.holders : music.others).push(p);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(music.holders) > 2 * mean(music.others));
  });

  it('refuses numbers and services the demo does not have', () => {
    assert.throws(() => plantedPropensity(seed, '12345', 'music'), isAppError);
    assert.throws(() => plantedPropensity(seed, msisdnOf(5), 'fax'), isAppError);
    const foreign = msisdnOf(5).replace(/^13[4-9]/, '130');
    assert.throws(() => plantedPropensity(seed, foreign, 'music'), isAppError);
  });
});

function categoryOf(key: string): string {
  return key === 'directory' ? 'directory' : key;
}

// The held-out control of each rule must be its own random sample: the same share of subscribers,
// drawn independently per rule, so that two rules' controls overlap only by chance (share²).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashFraction, isControl } from '../../../src/stream/engine/control-group.ts';

/** 10,000 distinct 11-digit numbers from a seeded generator, spread over a few real prefixes. */
function numbers(count: number): string[] {
  const prefixes = ['134', '135', '136', '137', '138', '139', '150', '151', '157', '182', '187', '188'];
  let seed = 20260301;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const out = new Set<string>();
  while (out.size < count) {
    const prefix = prefixes[Math.floor(random() * prefixes.length)]!;
    out.add(`${prefix}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`);
  }
  return [...out];
}

const N = 10_000;
const SHARE = 0.1;
const msisdns = numbers(N);
const rules = ['station-114-not-12580', 'campus-welcome', 'dongyuan-roaming'];

/** Bounds of a binomial count at about four standard deviations (deterministic hash, so no flakes). */
function binomialBounds(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - 4 * sd, n * p + 4 * sd];
}

describe('control groups', () => {
  it('hold out each rule’s share within binomial bounds', () => {
    const [low, high] = binomialBounds(N, SHARE);
    for (const rule of rules) {
      const held = msisdns.filter((m) => isControl(m, rule, SHARE)).length;
      assert.ok(held >= low && held <= high, `${rule}: ${held} of ${N} held out, expected ${low}–${high}`);
    }
    for (const share of [0.05, 0.2]) {
      const [lo, hi] = binomialBounds(N, share);
      const held = msisdns.filter((m) => isControl(m, rules[0]!, share)).length;
      assert.ok(held >= lo && held <= hi, `share ${share}: ${held} held out, expected ${lo}–${hi}`);
    }
  });

  it('draw a different sample per rule: two rules’ controls overlap by about share² (0.5–1.5 %)', () => {
    for (let a = 0; a < rules.length; a++)
      for (let b = a + 1; b < rules.length; b++) {
        const both = msisdns.filter((m) => isControl(m, rules[a]!, SHARE) && isControl(m, rules[b]!, SHARE)).length;
        const overlap = both / N;
        assert.ok(
          overlap >= 0.005 && overlap <= 0.015,
          `${rules[a]} and ${rules[b]}: ${both} subscribers (${(overlap * 100).toFixed(2)} %) in both controls`,
        );
      }
  });

  it('is stable for a subscriber and a rule, and nobody is held out at share 0', () => {
    for (const m of msisdns.slice(0, 100)) assert.equal(isControl(m, rules[0]!, SHARE), isControl(m, rules[0]!, SHARE));
    assert.equal(
      msisdns.some((m) => isControl(m, rules[0]!, 0)),
      false,
    );
    const fractions = msisdns.slice(0, 1000).map((m) => hashFraction(m));
    assert.ok(fractions.every((f) => f >= 0 && f < 1));
  });
});

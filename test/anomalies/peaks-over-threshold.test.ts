import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeaksOverThreshold } from '../../src/anomalies/series/peaks-over-threshold.ts';

// Quantiles of a unit exponential at evenly spaced probabilities: a history with a known tail.
function exponentialHistory(n: number): number[] {
  return Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 0.5) / n));
}

describe('peaks over threshold', () => {
  it('gives no tail until the window holds enough peaks to fit one', () => {
    const tail = new PeaksOverThreshold(5000, 0.02);
    for (const x of exponentialHistory(400)) tail.push(x);
    assert.ok(Number.isNaN(tail.tail(10)), '8 peaks are too few');
    for (const x of exponentialHistory(400)) tail.push(x);
    assert.ok(Number.isFinite(tail.tail(10)));
  });

  it('extrapolates an exponential tail close to the true probability', () => {
    const tail = new PeaksOverThreshold(5000, 0.02);
    const history = exponentialHistory(5000);
    // Pushed in a shuffled order: the window keeps values, not their order.
    for (let i = 0; i < history.length; i++) tail.push(history[(i * 2939) % history.length] as number);
    const p = tail.tail(-Math.log(1e-5));
    assert.ok(p > 1e-6 && p < 1e-4, `P(X ≥ ln 1e5) is 1e-5; fitted ${p}`);
    assert.equal(tail.tail(1), 0.02, 'below the threshold: the share of peaks');
  });

  it('puts a value beyond the end point of a bounded history at probability zero', () => {
    const tail = new PeaksOverThreshold(2000, 0.02);
    for (let i = 0; i < 2000; i++) tail.push((i * 7919) % 1000);
    assert.equal(tail.tail(2000), 0);
    assert.ok(tail.tail(995) > 0);
  });

  it('treats any rise over a flat history as new', () => {
    const tail = new PeaksOverThreshold(1000, 0.02);
    for (let i = 0; i < 1000; i++) tail.push(3);
    assert.ok(tail.tail(3.01) < 1e-10);
    assert.equal(tail.tail(3), 0.02);
  });
});

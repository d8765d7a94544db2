// How rare a value is against the recent history of the same statistic, far beyond what the history
// has shown: the peaks-over-threshold method of extreme-value theory as SPOT uses it for streams
// (Siffer et al., "Anomaly detection in streams with extreme value theory", KDD 2017). The top
// `peakShare` of the window are the peaks; their excesses over the threshold follow a generalised
// Pareto distribution, fitted here by the method of moments (cheap, closed form, and stable with a
// hundred peaks). A light tail (shape < 0) has an upper end point: a value past it has probability 0.
//
// Why not an empirical quantile: a 1e-5 tail needs 100,000 points of history to see; the fitted
// tail extrapolates from the top 2 % of a few thousand.

import { RollingQuantiles } from './rolling-quantiles.ts';

const minimumPeaks = 10;
// The shape is kept within ±0.5: beyond, moment estimates are unreliable (the variance of a
// generalised Pareto is infinite from 0.5 on).
const shapeLimit = 0.5;

export class PeaksOverThreshold {
  private readonly window: RollingQuantiles;

  constructor(
    capacity: number,
    private readonly peakShare: number,
  ) {
    this.window = new RollingQuantiles(capacity);
  }

  push(value: number): void {
    this.window.push(value);
  }

  /** The largest value in the window (−∞ when empty). */
  max(): number {
    return this.window.count > 0 ? this.window.valueAt(this.window.count - 1) : Number.NEGATIVE_INFINITY;
  }

  /** P(next value ≥ x) from the fitted tail; NaN while the window holds too few peaks to fit one. */
  tail(x: number): number {
    const n = this.window.count;
    const k = Math.floor(n * this.peakShare);
    if (k < minimumPeaks) return Number.NaN;
    const threshold = this.window.valueAt(n - k - 1);
    if (x <= threshold) return this.peakShare;
    let sum = 0;
    let squares = 0;
    for (let rank = n - k; rank < n; rank++) {
      const excess = this.window.valueAt(rank) - threshold;
      sum += excess;
      squares += excess * excess;
    }
    const mean = sum / k;
    const variance = Math.max(squares / k - mean * mean, 0);
    const share = k / n;
    const excess = x - threshold;
    // Every peak equal to the threshold (a flat or quantised history): anything above it is new.
    const floor = 1e-9 + 1e-6 * Math.abs(threshold);
    if (mean <= floor) return share * Math.exp(-excess / floor);
    const ratio = variance > 0 ? (mean * mean) / variance : Number.POSITIVE_INFINITY;
    const shape = Math.max(-shapeLimit, Math.min(shapeLimit, 0.5 * (1 - ratio)));
    const scale = Number.isFinite(ratio) ? 0.5 * mean * (1 + ratio) : mean;
    if (Math.abs(shape) < 1e-6) return share * Math.exp(-excess / scale);
    const base = 1 + (shape * excess) / scale;
    return base <= 0 ? 0 : share * base ** (-1 / shape);
  }
}

// Histogram binning: each feature becomes a Uint8Array of bins (0 = missing). Numeric features get up
// to 254 quantile thresholds; a categorical level c gets bin c + 1.
import type { FeatureTable } from '../table/index.ts';

export interface FeatureBins {
  categorical: boolean;
  /** Numeric: ascending upper bounds; bin b ≥ 1 holds thresholds[b-2] < v ≤ thresholds[b-1]. */
  thresholds: Float64Array;
  binCount: number;
}

export interface BinnedData {
  rowCount: number;
  bins: Uint8Array[];
  featureBins: FeatureBins[];
}

const maxThresholds = 254;

export function fitFeatureBins(table: FeatureTable, sampleLimit = 50_000): FeatureBins[] {
  return table.features.map((feature, f) => {
    const column = table.columns[f]!;
    if (feature.kind === 'categorical' || feature.kind === 'boolean') {
      const levels = feature.kind === 'boolean' ? 2 : feature.categories!.length;
      return { categorical: true, thresholds: new Float64Array(0), binCount: Math.min(255, levels) + 1 };
    }
    const thresholds = numericThresholds(column, sampleLimit);
    return { categorical: false, thresholds, binCount: thresholds.length + 2 };
  });
}

function numericThresholds(column: Float64Array, sampleLimit: number): Float64Array {
  const step = Math.max(1, Math.floor(column.length / sampleLimit));
  const sample = new Float64Array(Math.ceil(column.length / step));
  let size = 0;
  for (let r = 0; r < column.length; r += step) if (!Number.isNaN(column[r]!)) sample[size++] = column[r]!;
  const sorted = sample.subarray(0, size).sort();
  const distinct: number[] = [];
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct.push(sorted[k]!);
  if (distinct.length <= maxThresholds + 1) {
    const mids = new Float64Array(Math.max(0, distinct.length - 1));
    for (let k = 0; k + 1 < distinct.length; k++) mids[k] = (distinct[k]! + distinct[k + 1]!) / 2;
    return mids;
  }
  const cuts: number[] = [];
  for (let q = 1; q <= maxThresholds; q++) {
    const value = sorted[Math.floor((q * sorted.length) / (maxThresholds + 1))]!;
    if (cuts.length === 0 || value > cuts[cuts.length - 1]!) cuts.push(value);
  }
  if (cuts[cuts.length - 1] === distinct[distinct.length - 1]) cuts.pop();
  // move each cut to the midpoint before the next distinct value, so that "v < t" reads exactly
  const next = (value: number) => {
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return distinct[lo]!;
  };
  return Float64Array.from(cuts, (cut) => (cut + next(cut)) / 2);
}

export function binFeatures(table: FeatureTable, featureBins: readonly FeatureBins[]): BinnedData {
  const bins = table.columns.map((column, f) => {
    const spec = featureBins[f]!;
    const out = new Uint8Array(table.rowCount);
    if (spec.categorical) {
      const top = spec.binCount - 1;
      for (let r = 0; r < column.length; r++) {
        const v = column[r]!;
        out[r] = Number.isNaN(v) || v >= top ? 0 : v + 1;
      }
      return out;
    }
    // thresholds padded to 255 with +∞: eight halving steps with no early exit find the count of
    // thresholds below v, the same for every value, so the CPU predicts the loop instead of each branch
    const t = new Float64Array(255).fill(Number.POSITIVE_INFINITY);
    t.set(spec.thresholds);
    for (let r = 0; r < column.length; r++) {
      const v = column[r]!;
      if (Number.isNaN(v)) continue;
      let lo = 0;
      if (t[lo + 127]! < v) lo += 128;
      if (t[lo + 63]! < v) lo += 64;
      if (t[lo + 31]! < v) lo += 32;
      if (t[lo + 15]! < v) lo += 16;
      if (t[lo + 7]! < v) lo += 8;
      if (t[lo + 3]! < v) lo += 4;
      if (t[lo + 1]! < v) lo += 2;
      if (t[lo]! < v) lo += 1;
      out[r] = lo + 1;
    }
    return out;
  });
  return { rowCount: table.rowCount, bins, featureBins: [...featureBins] };
}

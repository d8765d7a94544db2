// RFM value segments: recency (days since last activity, lower is better), frequency and monetary
// value scored 1–5 by quintile, then named by the usual grid (champions, loyal, at risk, …).

export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  segment: RfmSegmentName;
}

export type RfmSegmentName =
  | 'champions'
  | 'loyal'
  | 'potential loyalists'
  | 'new or promising'
  | 'at risk'
  | 'cannot lose'
  | 'hibernating'
  | 'needs attention';

/** Quintile score 1..5 of each value by rank (ties share the lower score; NaN scores 1). */
export function quintileScores(values: Float64Array, higherIsBetter: boolean): Uint8Array {
  const present = Float64Array.from(Array.from(values).filter((v) => !Number.isNaN(v))).sort();
  const n = present.length;
  return Uint8Array.from(values, (v) => {
    if (Number.isNaN(v)) return 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (present[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const score = 1 + Math.floor((5 * lo) / n);
    return higherIsBetter ? score : 6 - score;
  });
}

export function nameRfmSegment(r: number, f: number, m: number): RfmSegmentName {
  if (r >= 4 && f >= 4 && m >= 4) return 'champions';
  if (r <= 2 && f >= 4 && m >= 4) return 'cannot lose';
  if (r <= 2 && f >= 3) return 'at risk';
  if (f >= 4) return 'loyal';
  if (r >= 4 && f <= 1) return 'new or promising';
  if (r >= 3 && f >= 2) return 'potential loyalists';
  if (r <= 2 && f <= 2) return 'hibernating';
  return 'needs attention';
}

export function rfmSegments(recency: Float64Array, frequency: Float64Array, monetary: Float64Array): RfmScore[] {
  const r = quintileScores(recency, false);
  const f = quintileScores(frequency, true);
  const m = quintileScores(monetary, true);
  return Array.from(r, (_, i) => ({
    recency: r[i]!,
    frequency: f[i]!,
    monetary: m[i]!,
    segment: nameRfmSegment(r[i]!, f[i]!, m[i]!),
  }));
}

// Measures for choosing the number of segments: the silhouette (on a seeded sample) and the
// within-segment sum of squares, whose elbow is the k farthest from the line joining the ends.
import { createSeededRandom } from '../../shared/seeded-random.ts';

/** Mean silhouette of a sample of at most sampleSize points (row-major x, width columns). */
export function meanSilhouette(
  x: Float64Array,
  width: number,
  assignment: Int32Array,
  k: number,
  options: { sampleSize?: number; seed?: number } = {},
): number {
  const n = assignment.length;
  const sampleSize = Math.min(n, options.sampleSize ?? 1500);
  const random = createSeededRandom(options.seed ?? 1);
  const sample = new Int32Array(sampleSize);
  if (sampleSize === n) for (let i = 0; i < n; i++) sample[i] = i;
  else for (let i = 0; i < sampleSize; i++) sample[i] = random.int(n);
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  let total = 0;
  for (const i of sample) {
    sums.fill(0);
    counts.fill(0);
    for (const j of sample) {
      if (i === j) continue;
      let d = 0;
      for (let c = 0; c < width; c++) {
        const diff = x[i * width + c]! - x[j * width + c]!;
        d += diff * diff;
      }
      sums[assignment[j]!]! += Math.sqrt(d);
      counts[assignment[j]!]!++;
    }
    const own = assignment[i]!;
    if (counts[own] === 0) continue;
    const a = sums[own]! / counts[own]!;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return total / sampleSize;
}

export function withinSumOfSquares(
  x: Float64Array,
  width: number,
  assignment: Int32Array,
  centroids: number[][],
): number {
  let total = 0;
  for (let i = 0; i < assignment.length; i++) {
    const centroid = centroids[assignment[i]!]!;
    for (let c = 0; c < width; c++) {
      const diff = x[i * width + c]! - centroid[c]!;
      total += diff * diff;
    }
  }
  return total;
}

/** The elbow of a decreasing curve: the point farthest from the chord between its first and last points. */
export function elbowIndex(values: readonly number[]): number {
  const last = values.length - 1;
  if (last < 2) return 0;
  const [x0, y0, x1, y1] = [0, values[0]!, last, values[last]!];
  let best = 0;
  let bestDistance = -1;
  for (let i = 0; i <= last; i++) {
    const distance = Math.abs((y1 - y0) * i - (x1 - x0) * values[i]! + x1 * y0 - y1 * x0);
    if (distance > bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

// Segments by k-means (ml-kmeans, k-means++ seeded) on standardised features (numbers as z-scores,
// categories one-hot), k given or chosen by silhouette or elbow; each segment described by the
// features that set it apart from everyone else.
import { kmeans } from 'ml-kmeans';
import { AppError } from '../../shared/errors.ts';
import { encodeDesign, fitDesignEncoder } from '../linear/design-matrix.ts';
import type { FeatureTable } from '../table/index.ts';
import { elbowIndex, meanSilhouette, withinSumOfSquares } from './choose-k.ts';
import { describeSegment, type SegmentTrait } from './describe-segment.ts';

export type ChooseKMethod = 'silhouette' | 'elbow';

export interface SegmentOptions {
  k?: number;
  choose?: ChooseKMethod;
  minK?: number;
  maxK?: number;
  seed?: number;
}

export interface KCandidate {
  k: number;
  silhouette: number;
  withinSumOfSquares: number;
}

export interface Segment {
  id: number;
  size: number;
  share: number;
  traits: SegmentTrait[];
  description: string;
}

export interface Segmentation {
  k: number;
  method: 'given' | ChooseKMethod;
  candidates: KCandidate[];
  assignment: Int32Array;
  segments: Segment[];
}

export function segmentTable(table: FeatureTable, options: SegmentOptions = {}): Segmentation {
  if (table.rowCount < 3) throw new AppError('INPUT_INVALID', 'segmentation needs at least three rows');
  const seed = options.seed ?? 1;
  const encoder = fitDesignEncoder(table);
  const width = encoder.columns.length;
  const x = encodeDesign(encoder, table);
  const points = Array.from({ length: table.rowCount }, (_, r) => Array.from(x.subarray(r * width, (r + 1) * width)));
  const fit = (k: number) => {
    const result = kmeans(points, k, { seed, initialization: 'kmeans++', maxIterations: 100 });
    const assignment = Int32Array.from(result.clusters);
    return { assignment, centroids: result.centroids };
  };
  let chosen: { assignment: Int32Array; centroids: number[][] };
  let k: number;
  const candidates: KCandidate[] = [];
  const method = options.k !== undefined ? 'given' : (options.choose ?? 'silhouette');
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 1 || options.k > table.rowCount)
      throw new AppError('USAGE', `--k must be a whole number from 1 to the row count, not ${options.k}`);
    k = options.k;
    chosen = fit(k);
  } else {
    const minK = options.minK ?? 2;
    const maxK = Math.min(options.maxK ?? 8, table.rowCount - 1);
    const fits = [];
    for (let candidate = minK; candidate <= maxK; candidate++) {
      const result = fit(candidate);
      fits.push(result);
      candidates.push({
        k: candidate,
        silhouette: meanSilhouette(x, width, result.assignment, candidate, { seed }),
        withinSumOfSquares: withinSumOfSquares(x, width, result.assignment, result.centroids),
      });
    }
    let best = 0;
    if (method === 'elbow') best = elbowIndex(candidates.map((c) => c.withinSumOfSquares));
    else
      for (let i = 1; i < candidates.length; i++)
        if (candidates[i]!.silhouette > candidates[best]!.silhouette) best = i;
    k = candidates[best]!.k;
    chosen = fits[best]!;
  }
  const segments = orderBySize(chosen.assignment, k).map(({ id, size }) => {
    const traits = describeSegment(table, chosen.assignment, id);
    return {
      id,
      size,
      share: size / table.rowCount,
      traits,
      description: (traits.some((t) => t.strength >= 0.25) ? traits.filter((t) => t.strength >= 0.25) : traits)
        .slice(0, 4)
        .map((t) => t.text)
        .join('; '),
    };
  });
  return { k, method, candidates, assignment: chosen.assignment, segments };
}

function orderBySize(assignment: Int32Array, k: number): { id: number; size: number }[] {
  const sizes = new Int32Array(k);
  for (const a of assignment) sizes[a]!++;
  return Array.from(sizes, (size, id) => ({ id, size })).sort((a, b) => b.size - a.size || a.id - b.id);
}

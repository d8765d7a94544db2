// Grows one tree on binned data from per-row gradients and hessians (XGBoost-style gain). With
// grad = -y and hess = 1 and lambda = 0 the gain is the squared-error (= Gini, for 0/1 labels)
// reduction and a leaf's value is its positive rate, so CART, forests and boosting share this code.
// Histograms: one per node, the smaller child scanned and the larger one got by subtraction.
import type { SeededRandom } from '../../shared/seeded-random.ts';
import { DecisionTree } from './decision-tree.ts';
import type { BinnedData } from './feature-binning.ts';
import {
  BIN_STRIDE,
  buildHistogram,
  type HistogramInput,
  partitionRows,
  subtractHistogram,
} from './histogram-kernels.ts';

export interface GrowOptions {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Minimum hessian sum in a leaf (boosting: min child weight). */
  minHessian: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Smallest gain worth a split. */
  minGain: number;
  /** Leaf values are multiplied by this (the learning rate). */
  leafScale: number;
  /** Fraction of features tried at each node (forests); 1 = all. */
  featureFraction?: number;
  random?: SeededRandom;
  /** Categorical features with more levels than this split one level against the rest (default 8). */
  maxSortedLevels?: number;
  /** Judge splits by squared-error reduction of the gradients (hessian 1), as Friedman's gradient
   * boosting does, while leaf values still take the Newton step. */
  gainOnCounts?: boolean;
}

export interface GrownTree {
  tree: DecisionTree;
  /** Total gain of the splits on each feature. */
  gain: Float64Array;
  /**
   * Each leaf's rows: rows[starts[k], ends[k]) of the `rows` given (as reordered here) end in node
   * nodes[k], so a caller can add leaf values to its training rows without walking the tree.
   */
  leaves: { nodes: number[]; starts: number[]; ends: number[] };
}

interface Split {
  gain: number;
  feature: number;
  binSplit: number;
  leftBins: Uint8Array | null;
  missingLeft: boolean;
}

/**
 * rows: the training rows of this tree (may repeat, for bootstrap samples); reordered in place.
 */
export function growTree(
  data: BinnedData,
  grad: Float64Array,
  hess: Float64Array,
  rows: Uint32Array,
  options: GrowOptions,
): GrownTree {
  const featureCount = data.bins.length;
  const tree = new DecisionTree();
  const gain = new Float64Array(featureCount);
  const leaves = { nodes: [] as number[], starts: [] as number[], ends: [] as number[] };
  const addLeaf = (node: number, start: number, end: number) => {
    leaves.nodes.push(node);
    leaves.starts.push(start);
    leaves.ends.push(end);
    return node;
  };
  const pool: Float64Array[] = [];
  const take = () => pool.pop() ?? new Float64Array(featureCount * BIN_STRIDE);
  const orderedGrad = new Float64Array(rows.length);
  const orderedHess = new Float64Array(rows.length);
  const spill = new Uint32Array(rows.length);
  const input: HistogramInput = { bins: data.bins, grad, hess, rows, orderedGrad, orderedHess };
  const { lambda, minSamplesLeaf, minHessian } = options;
  const featureOrder = Int32Array.from({ length: featureCount }, (_, f) => f);
  const maxSortedLevels = options.maxSortedLevels ?? 8;
  const categorySmoothing = 1e-12;
  const triedCount = Math.max(1, Math.round((options.featureFraction ?? 1) * featureCount));

  const gainOnCounts = options.gainOnCounts ?? false;
  const score = (g: number, h: number, n: number) => (g * g) / ((gainOnCounts ? n : h) + lambda);

  const findSplit = (hist: Float64Array, G: number, H: number, N: number): Split | null => {
    let best: Split | null = null;
    const parent = score(G, H, N);
    const fits = (hl: number, nl: number) =>
      nl >= minSamplesLeaf && N - nl >= minSamplesLeaf && hl >= minHessian && H - hl >= minHessian;
    let features = featureOrder;
    if (triedCount < featureCount && options.random) {
      for (let k = 0; k < triedCount; k++) {
        const j = k + options.random.int(featureCount - k);
        const t = featureOrder[k]!;
        featureOrder[k] = featureOrder[j]!;
        featureOrder[j] = t;
      }
      features = featureOrder.subarray(0, triedCount);
    }
    for (const f of features) {
      const spec = data.featureBins[f]!;
      const base = f * BIN_STRIDE;
      const gm = hist[base]!;
      const hm = hist[base + 1]!;
      const nm = hist[base + 2]!;
      if (!spec.categorical) {
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (let b = 1; b < spec.binCount - 1; b++) {
          const k = base + b * 3;
          gl += hist[k]!;
          hl += hist[k + 1]!;
          nl += hist[k + 2]!;
          if (hist[k + 2] === 0) continue;
          if (nl + nm === N) break;
          // missing right
          if (fits(hl, nl)) {
            const gain = score(gl, hl, nl) + score(G - gl, H - hl, N - nl) - parent;
            if (best === null || gain > best.gain)
              best = { gain, feature: f, binSplit: b, leftBins: null, missingLeft: nm > 0 ? false : nl >= N - nl };
          }
          if (nm > 0 && fits(hl + hm, nl + nm)) {
            const gain = score(gl + gm, hl + hm, nl + nm) + score(G - gl - gm, H - hl - hm, N - nl - nm) - parent;
            if (best === null || gain > best.gain)
              best = { gain, feature: f, binSplit: b, leftBins: null, missingLeft: true };
          }
        }
      } else {
        const present: number[] = [];
        for (let b = 1; b < spec.binCount; b++) if (hist[base + b * 3 + 2]! > 0) present.push(b);
        if (present.length < 2 && !(present.length === 1 && nm > 0)) continue;
        if (present.length > maxSortedLevels) {
          // many levels: one level against the rest (as one-hot), which overfits far less than subsets
          for (const b of present) {
            const at = base + b * 3;
            for (const withMissing of nm > 0 ? [false, true] : [false]) {
              const g = hist[at]! + (withMissing ? gm : 0);
              const h = hist[at + 1]! + (withMissing ? hm : 0);
              const n = hist[at + 2]! + (withMissing ? nm : 0);
              if (!fits(h, n)) continue;
              const gain = score(g, h, n) + score(G - g, H - h, N - n) - parent;
              if (best === null || gain > best.gain) {
                const leftBins = new Uint8Array(spec.binCount);
                leftBins[b] = 1;
                best = { gain, feature: f, binSplit: 0, leftBins, missingLeft: withMissing };
              }
            }
          }
          continue;
        }
        const ratio = (b: number) => hist[base + b * 3]! / (hist[base + b * 3 + 1]! + lambda + categorySmoothing);
        present.sort((a, b) => ratio(a) - ratio(b));
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (let k = 0; k < present.length; k++) {
          const at = base + present[k]! * 3;
          gl += hist[at]!;
          hl += hist[at + 1]!;
          nl += hist[at + 2]!;
          for (const withMissing of nm > 0 ? [false, true] : [false]) {
            if (k === present.length - 1 && !(withMissing === false && nm > 0)) continue;
            const g = withMissing ? gl + gm : gl;
            const h = withMissing ? hl + hm : hl;
            const n = withMissing ? nl + nm : nl;
            if (!fits(h, n)) continue;
            const gain = score(g, h, n) + score(G - g, H - h, N - n) - parent;
            if (best === null || gain > best.gain) {
              const leftBins = new Uint8Array(spec.binCount);
              for (let j = 0; j <= k; j++) leftBins[present[j]!] = 1;
              best = { gain, feature: f, binSplit: 0, leftBins, missingLeft: withMissing || (nm === 0 && n >= N - n) };
            }
          }
        }
      }
    }
    return best;
  };

  /** A node that will not be split needs no histogram, only its totals. */
  const isTerminal = (rowCount: number, depth: number) => depth >= options.maxDepth || rowCount < 2 * minSamplesLeaf;

  const grow = (start: number, end: number, hist: Float64Array | null, depth: number): number => {
    let G = 0;
    let H = 0;
    const N = end - start;
    if (hist) {
      // totals from any one feature's histogram
      for (let b = 0; b < 256; b++) {
        G += hist[b * 3]!;
        H += hist[b * 3 + 1]!;
      }
    } else
      for (let i = start; i < end; i++) {
        G += grad[rows[i]!]!;
        H += hess[rows[i]!]!;
      }
    const node = tree.addNode((-G / (H + lambda || 1)) * options.leafScale, N);
    if (!hist || isTerminal(N, depth)) {
      if (hist) pool.push(hist);
      return addLeaf(node, start, end);
    }
    const split = findSplit(hist, G, H, N);
    if (split === null || split.gain <= options.minGain) {
      pool.push(hist);
      return addLeaf(node, start, end);
    }
    gain[split.feature]! += split.gain;
    const mid = partitionRows(rows, spill, start, end, {
      column: data.bins[split.feature]!,
      missingLeft: split.missingLeft,
      leftBins: split.leftBins,
      binSplit: split.binSplit,
    });
    let leftHist: Float64Array | null = null;
    let rightHist: Float64Array | null = null;
    const leftTerminal = isTerminal(mid - start, depth + 1);
    const rightTerminal = isTerminal(end - mid, depth + 1);
    if (leftTerminal && rightTerminal) pool.push(hist);
    else {
      // scan the smaller child, get the larger by subtraction; a terminal child's histogram is dropped
      const small = take();
      const leftSmaller = mid - start <= end - mid;
      if (leftSmaller) buildHistogram(input, small, start, mid);
      else buildHistogram(input, small, mid, end);
      subtractHistogram(hist, small);
      [leftHist, rightHist] = leftSmaller ? [small, hist] : [hist, small];
      if (leftTerminal) {
        pool.push(leftHist);
        leftHist = null;
      }
      if (rightTerminal) {
        pool.push(rightHist);
        rightHist = null;
      }
    }
    const left = grow(start, mid, leftHist, depth + 1);
    const right = grow(mid, end, rightHist, depth + 1);
    const spec = data.featureBins[split.feature]!;
    let leftLevels: number[] | null = null;
    if (split.leftBins) {
      leftLevels = [];
      for (let b = 1; b < split.leftBins.length; b++) if (split.leftBins[b]) leftLevels.push(b - 1);
    }
    tree.setSplit(node, {
      feature: split.feature,
      threshold: spec.categorical ? 0 : spec.thresholds[split.binSplit - 1]!,
      binSplit: split.binSplit,
      leftLevels,
      missingLeft: split.missingLeft,
      left,
      right,
    });
    return node;
  };

  const root = take();
  buildHistogram(input, root, 0, rows.length);
  grow(0, rows.length, root, 0);
  return { tree, gain, leaves };
}

// An uplift tree: each split is the one that most separates the uplift (contacted minus control
// response rate) of its two children, measured as the squared z of their difference (Su et al.'s
// interaction test), so a split on a few noisy subscribers scores low by itself. Children must keep
// `minGroup` contacted and control samples; a split needs z² ≥ `minSplitZ2`. Missing values follow
// the larger child while growing; the rules written from the paths never match a missing value.
import type { ArmCounts } from './uplift-estimate.ts';
import type { UpliftColumn, UpliftColumns } from './uplift-columns.ts';
import type { UpliftCondition } from './uplift-types.ts';

export interface UpliftTreeNode {
  conditions: UpliftCondition[];
  counts: ArmCounts;
  /** Column index and, per code, 1 when the sample goes left. */
  split?: { column: number; goesLeft: Uint8Array; z2: number };
  left?: UpliftTreeNode;
  right?: UpliftTreeNode;
}

export interface GrowOptions {
  maxDepth: number;
  minGroup: number;
  minSplitZ2: number;
}

interface Candidate {
  column: number;
  z2: number;
  goesLeft: Uint8Array;
  left: UpliftCondition;
  right: UpliftCondition;
}

export function growUpliftTree(data: UpliftColumns, rows: Int32Array, options: GrowOptions): UpliftTreeNode {
  return grow(data, rows, [], 0, options);
}

function grow(
  data: UpliftColumns,
  rows: Int32Array,
  conditions: UpliftCondition[],
  depth: number,
  options: GrowOptions,
): UpliftTreeNode {
  const node: UpliftTreeNode = { conditions, counts: countArms(data, rows) };
  if (depth >= options.maxDepth) return node;
  let best: Candidate | undefined;
  for (let c = 0; c < data.columns.length; c++) {
    const candidate = bestSplitOf(data, rows, c, options);
    if (candidate && (!best || candidate.z2 > best.z2)) best = candidate;
  }
  if (!best || best.z2 < options.minSplitZ2) return node;
  const codes = data.columns[best.column]!.codes;
  let leftCount = 0;
  for (let k = 0; k < rows.length; k++) leftCount += best.goesLeft[codes[rows[k]!]!]!;
  const leftRows = new Int32Array(leftCount);
  const rightRows = new Int32Array(rows.length - leftCount);
  let l = 0;
  let r = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    if (best.goesLeft[codes[row]!]) leftRows[l++] = row;
    else rightRows[r++] = row;
  }
  node.split = { column: best.column, goesLeft: best.goesLeft, z2: best.z2 };
  node.left = grow(data, leftRows, mergeCondition(conditions, best.left), depth + 1, options);
  node.right = grow(data, rightRows, mergeCondition(conditions, best.right), depth + 1, options);
  return node;
}

export function countArms(data: UpliftColumns, rows: Int32Array): ArmCounts {
  const counts = { treated: 0, control: 0, treatedResponders: 0, controlResponders: 0 };
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if (data.treated[i]) {
      counts.treated++;
      counts.treatedResponders += data.responded[i]!;
    } else {
      counts.control++;
      counts.controlResponders += data.responded[i]!;
    }
  }
  return counts;
}

/** Per code: contacted, control, contacted responders, control responders. */
function histogram(data: UpliftColumns, rows: Int32Array, column: UpliftColumn): Float64Array {
  const h = new Float64Array((column.missing + 1) * 4);
  const codes = column.codes;
  const treated = data.treated;
  const responded = data.responded;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const at = codes[i]! * 4 + (treated[i] ? 0 : 1);
    h[at] = h[at]! + 1;
    h[at + 2] = h[at + 2]! + responded[i]!;
  }
  return h;
}

function bestSplitOf(data: UpliftColumns, rows: Int32Array, c: number, options: GrowOptions): Candidate | undefined {
  const column = data.columns[c]!;
  const h = histogram(data, rows, column);
  const m = column.missing;
  // Codes in the order a prefix split walks them: bins ascending, or levels by their own uplift.
  // A level with a handful of contacted or control samples here has no uplift worth sorting by: it
  // travels with missing values (to the larger side) and is named in neither child's condition.
  // So does a level under 3 % of the node: wherever it goes, it moves the children's uplift by little.
  const smallLevel = Math.max(5, Math.floor(options.minGroup / 2));
  const smallShare = 0.03 * rows.length;
  const order: number[] = [];
  const small: number[] = [];
  for (let code = 0; code < m; code++) {
    const size = h[code * 4]! + h[code * 4 + 1]!;
    if (size === 0) continue;
    if (column.kind === 'category' && (Math.min(h[code * 4]!, h[code * 4 + 1]!) < smallLevel || size < smallShare))
      small.push(code);
    else order.push(code);
  }
  if (order.length < 2) return undefined;
  if (column.kind === 'category') {
    const score = (code: number) => {
      const [t, k, rt, rk] = [h[code * 4]!, h[code * 4 + 1]!, h[code * 4 + 2]!, h[code * 4 + 3]!];
      return (rt + 0.5) / (t + 1) - (rk + 0.5) / (k + 1);
    };
    order.sort((a, b) => score(a) - score(b) || a - b);
  }
  const total = [0, 0, 0, 0];
  for (let code = 0; code <= m; code++) for (let j = 0; j < 4; j++) total[j]! += h[code * 4 + j]!;
  const missingCounts = [h[m * 4]!, h[m * 4 + 1]!, h[m * 4 + 2]!, h[m * 4 + 3]!];
  for (const code of small) for (let j = 0; j < 4; j++) missingCounts[j]! += h[code * 4 + j]!;
  // Each level sorted by its own uplift is a free choice: without a price, a many-valued attribute
  // (plan) beats the few-valued one it refines (brand) by fitting noise.
  const levelPrice = column.kind === 'category' ? order.length - 2 : 0;
  const left = [0, 0, 0, 0];
  let best: { z2: number; at: number } | undefined;
  for (let p = 0; p < order.length - 1; p++) {
    const code = order[p]!;
    for (let j = 0; j < 4; j++) left[j]! += h[code * 4 + j]!;
    const right = total.map((x, j) => x - left[j]! - missingCounts[j]!);
    // Missing values join the larger side.
    const missingLeft = left[0]! + left[1]! >= right[0]! + right[1]!;
    const l = missingLeft ? left.map((x, j) => x + missingCounts[j]!) : left;
    const r = missingLeft ? right : right.map((x, j) => x + missingCounts[j]!);
    if (Math.min(l[0]!, l[1]!, r[0]!, r[1]!) < options.minGroup) continue;
    const z2 = interactionZ2(l, r) - levelPrice;
    if (!best || z2 > best.z2) best = { z2, at: p };
  }
  if (!best) return undefined;
  const goesLeft = new Uint8Array(m + 1);
  for (let p = 0; p <= best.at; p++) goesLeft[order[p]!] = 1;
  const leftSize = order.slice(0, best.at + 1).reduce((s, code) => s + h[code * 4]! + h[code * 4 + 1]!, 0);
  const rightSize = order.slice(best.at + 1).reduce((s, code) => s + h[code * 4]! + h[code * 4 + 1]!, 0);
  goesLeft[m] = leftSize >= rightSize ? 1 : 0;
  for (const code of small) goesLeft[code] = goesLeft[m]!;
  if (column.kind === 'category') {
    const levels = (from: number, to: number) =>
      order
        .slice(from, to)
        .map((code) => column.levels[code]!)
        .sort();
    return {
      column: c,
      z2: best.z2,
      goesLeft,
      left: { attribute: column.name, in: levels(0, best.at + 1) },
      right: { attribute: column.name, in: levels(best.at + 1, order.length) },
    };
  }
  const threshold = roundThreshold(column.high[order[best.at]!]!, column.low[order[best.at + 1]!]!);
  return {
    column: c,
    z2: best.z2,
    goesLeft,
    left: { attribute: column.name, between: [null, threshold] },
    right: { attribute: column.name, between: [threshold, null] },
  };
}

/** Squared z of the difference between two groups' uplifts (counts: contacted, control, their responders). */
function interactionZ2(l: number[], r: number[]): number {
  const rate = (responders: number, n: number) => (responders + 1) / (n + 2);
  const variance = (responders: number, n: number) => {
    const p = rate(responders, n);
    return (p * (1 - p)) / (n + 2);
  };
  const ul = l[2]! / l[0]! - l[3]! / l[1]!;
  const ur = r[2]! / r[0]! - r[3]! / r[1]!;
  const v = variance(l[2]!, l[0]!) + variance(l[3]!, l[1]!) + variance(r[2]!, r[0]!) + variance(r[3]!, r[1]!);
  return ((ul - ur) * (ul - ur)) / v;
}

/**
 * A threshold t with `largestLeft < t ≤ smallestRight`, as round as possible (25 rather than 24.5,
 * 60 rather than 58.37), so the rule reads the way a person would write it.
 */
export function roundThreshold(largestLeft: number, smallestRight: number): number {
  for (const step of [1000, 500, 100, 50, 10, 5, 1, 0.5, 0.1, 0.05, 0.01]) {
    const t = Math.floor(largestLeft / step + 1) * step;
    const rounded = Number(t.toFixed(2));
    if (rounded > largestLeft && rounded <= smallestRight) return rounded;
  }
  return smallestRight;
}

/** The path's conditions with one more, intersected with an earlier one on the same attribute. */
export function mergeCondition(conditions: UpliftCondition[], added: UpliftCondition): UpliftCondition[] {
  const at = conditions.findIndex((c) => c.attribute === added.attribute);
  if (at < 0) return [...conditions, added];
  const old = conditions[at]!;
  let merged: UpliftCondition;
  if ('in' in old && 'in' in added)
    merged = { attribute: old.attribute, in: old.in.filter((v) => added.in.includes(v)) };
  else if ('between' in old && 'between' in added) {
    const low = maxOpen(old.between[0], added.between[0], Math.max);
    const high = maxOpen(old.between[1], added.between[1], Math.min);
    merged = { attribute: old.attribute, between: [low, high] };
  } else merged = added;
  return conditions.map((c, i) => (i === at ? merged : c));
}

function maxOpen(a: number | null, b: number | null, pick: (x: number, y: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return pick(a, b);
}

/** Leaves of the tree, left to right. */
export function leavesOf(node: UpliftTreeNode): UpliftTreeNode[] {
  if (!node.left || !node.right) return [node];
  return [...leavesOf(node.left), ...leavesOf(node.right)];
}

/** The leaf a sample falls in (missing values follow the side chosen while growing). */
export function leafOf(node: UpliftTreeNode, data: UpliftColumns, row: number): UpliftTreeNode {
  let at = node;
  while (at.split && at.left && at.right) {
    const code = data.columns[at.split.column]!.codes[row]!;
    at = at.split.goesLeft[code] ? at.left : at.right;
  }
  return at;
}

// Samples turned into typed columns once: each feature becomes one small code per sample (a quantile
// bin of a number, a level of a category; the last code means missing), so the tree's histograms
// are plain integer loops over typed arrays.
import { AppError } from '../../shared/errors.ts';
import type { UpliftCondition, UpliftSample } from './uplift-types.ts';

export interface UpliftColumn {
  name: string;
  kind: 'number' | 'category';
  /** Per sample: bin or level; `missing` for a null. */
  codes: Uint16Array;
  /** Code of a missing value (= number of bins or levels). */
  missing: number;
  /** Categories: the level of each code. */
  levels: string[];
  /** Numbers: smallest and largest value of each bin (bins ascend). */
  low: Float64Array;
  high: Float64Array;
}

export interface UpliftColumns {
  count: number;
  treated: Uint8Array;
  responded: Uint8Array;
  columns: UpliftColumn[];
}

const MAX_BINS = 128;

export function encodeUpliftSamples(samples: readonly UpliftSample[], only?: readonly string[]): UpliftColumns {
  const count = samples.length;
  const treated = new Uint8Array(count);
  const responded = new Uint8Array(count);
  const names = new Set<string>(only ?? []);
  for (let i = 0; i < count; i++) {
    const s = samples[i]!;
    treated[i] = s.treated ? 1 : 0;
    responded[i] = s.responded ? 1 : 0;
    if (!only) for (const name of Object.keys(s.features)) names.add(name);
  }
  const columns: UpliftColumn[] = [];
  for (const name of [...names].sort()) {
    const column = encodeColumn(name, samples);
    if (column) columns.push(column);
  }
  return { count, treated, responded, columns };
}

function encodeColumn(name: string, samples: readonly UpliftSample[]): UpliftColumn | undefined {
  let numbers = 0;
  let texts = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!.features[name];
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string') texts++;
  }
  if (numbers === 0 && texts === 0) return undefined;
  if (numbers > 0 && texts > 0)
    throw new AppError('INPUT_INVALID', `feature "${name}" mixes numbers and text`, {
      location: { field: name },
      hint: 'give a feature either numbers (age, tenure_months, arpu) or text (brand, county, …), or null',
    });
  return numbers > 0 ? encodeNumbers(name, samples, numbers) : encodeCategories(name, samples);
}

function encodeCategories(name: string, samples: readonly UpliftSample[]): UpliftColumn {
  const index = new Map<string, number>();
  const raw = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!.features[name];
    if (typeof v !== 'string') {
      raw[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = index.size;
      index.set(v, code);
    }
    raw[i] = code;
  }
  if (index.size > 0xfffe)
    throw new AppError('INPUT_INVALID', `feature "${name}" has ${index.size} distinct values`, {
      location: { field: name },
      hint: 'group the values first (more than 65,534 cannot be split on)',
    });
  // Levels in sorted order, so codes (and so ties between splits) do not depend on sample order.
  const levels = [...index.keys()].sort();
  const remap = new Uint16Array(index.size);
  levels.forEach((level, sorted) => {
    remap[index.get(level)!] = sorted;
  });
  const codes = new Uint16Array(samples.length);
  for (let i = 0; i < samples.length; i++) codes[i] = raw[i]! < 0 ? levels.length : remap[raw[i]!]!;
  return {
    name,
    kind: 'category',
    codes,
    missing: levels.length,
    levels,
    low: new Float64Array(0),
    high: new Float64Array(0),
  };
}

/** Quantile bins over the distinct values; one bin per value when there are few (ages, months). */
function encodeNumbers(name: string, samples: readonly UpliftSample[], numbers: number): UpliftColumn {
  const values = new Float64Array(samples.length);
  const present = new Float64Array(numbers);
  let p = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!.features[name];
    values[i] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
    if (!Number.isNaN(values[i]!)) present[p++] = values[i]!;
  }
  present.subarray(0, p).sort();
  const sortedPresent = present.subarray(0, p);
  const distinct: number[] = [];
  for (let i = 0; i < sortedPresent.length; i++)
    if (i === 0 || sortedPresent[i] !== sortedPresent[i - 1]) distinct.push(sortedPresent[i]!);
  // Bin lower edges: every distinct value when few, else the values at evenly spaced ranks.
  let edges: number[];
  if (distinct.length <= MAX_BINS) edges = distinct;
  else {
    edges = [];
    for (let b = 0; b < MAX_BINS; b++) {
      const v = sortedPresent[Math.floor((b * sortedPresent.length) / MAX_BINS)]!;
      if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
    }
  }
  const bins = edges.length;
  const codes = new Uint16Array(values.length);
  const low = new Float64Array(bins).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(bins).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      codes[i] = bins;
      continue;
    }
    // Last edge ≤ v (binary search).
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    codes[i] = lo;
    if (v < low[lo]!) low[lo] = v;
    if (v > high[lo]!) high[lo] = v;
  }
  return { name, kind: 'number', codes, missing: bins, levels: [], low, high };
}

/**
 * Which samples satisfy every condition, read from the codes (a threshold always falls between two
 * bins, so a bin is wholly in or out). A missing value satisfies no condition, as in SQL.
 */
export function matchingRows(data: UpliftColumns, conditions: readonly UpliftCondition[]): Uint8Array {
  const members = new Uint8Array(data.count).fill(1);
  for (const condition of conditions) {
    const column = data.columns.find((c) => c.name === condition.attribute);
    if (!column) return members.fill(0);
    const allowed = new Uint8Array(column.missing + 1);
    for (let code = 0; code < column.missing; code++) {
      if ('in' in condition) allowed[code] = condition.in.includes(column.levels[code] ?? '') ? 1 : 0;
      else {
        const [low, high] = condition.between;
        const inside = (low === null || column.low[code]! >= low) && (high === null || column.high[code]! < high);
        allowed[code] = column.kind === 'number' && inside ? 1 : 0;
      }
    }
    const codes = column.codes;
    for (let i = 0; i < data.count; i++) members[i] = members[i]! & allowed[codes[i]!]!;
  }
  return members;
}

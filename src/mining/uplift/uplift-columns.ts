// Samples turned into typed columns once: each feature becomes one small code per sample (a quantile
// bin of a number, a level of a category; the last code means missing), so the tree's histograms
// are plain integer loops over typed arrays.
import { AppError } from '../../shared/errors.ts';
import type { FeatureValue, UpliftSample } from './uplift-types.ts';

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
    const values = samples.map((s) => s.features[name] ?? null);
    const column = encodeColumn(name, values);
    if (column) columns.push(column);
  }
  return { count, treated, responded, columns };
}

function encodeColumn(name: string, values: FeatureValue[]): UpliftColumn | undefined {
  let numbers = 0;
  let texts = 0;
  for (const v of values) {
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string') texts++;
  }
  if (numbers === 0 && texts === 0) return undefined;
  if (numbers > 0 && texts > 0)
    throw new AppError('INPUT_INVALID', `feature "${name}" mixes numbers and text`, {
      location: { field: name },
      hint: 'give a feature either numbers (age, tenure_months, arpu) or text (brand, county, …), or null',
    });
  return numbers > 0
    ? encodeNumbers(name, values as (number | null)[])
    : encodeCategories(name, values as (string | null)[]);
}

function encodeCategories(name: string, values: (string | null)[]): UpliftColumn {
  const levels = [...new Set(values.filter((v): v is string => v !== null))].sort();
  if (levels.length > 0xfffe)
    throw new AppError('INPUT_INVALID', `feature "${name}" has ${levels.length} distinct values`, {
      location: { field: name },
      hint: 'group the values first (more than 65,534 cannot be split on)',
    });
  const index = new Map(levels.map((level, i) => [level, i]));
  const codes = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = v === null || v === undefined ? levels.length : index.get(v)!;
  }
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
function encodeNumbers(name: string, values: (number | null)[]): UpliftColumn {
  const present = Float64Array.from(values.filter((v): v is number => v !== null && Number.isFinite(v))).sort();
  const distinct: number[] = [];
  for (let i = 0; i < present.length; i++) if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]!);
  // Bin lower edges: every distinct value when few, else the values at evenly spaced ranks.
  let edges: number[];
  if (distinct.length <= MAX_BINS) edges = distinct;
  else {
    edges = [];
    for (let b = 0; b < MAX_BINS; b++) {
      const v = present[Math.floor((b * present.length) / MAX_BINS)]!;
      if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
    }
  }
  const bins = edges.length;
  const codes = new Uint16Array(values.length);
  const low = new Float64Array(bins).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(bins).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
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

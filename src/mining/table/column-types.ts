// Column type inference: numeric, boolean, categorical, or excluded (ID-like, constant, empty).

export type ColumnKind = 'numeric' | 'boolean' | 'categorical';
export type ExclusionReason = 'id-like' | 'constant' | 'empty';

export interface FeatureSchema {
  name: string;
  kind: ColumnKind;
  /** Categorical levels, most frequent first (at most maxCategories; rarer ones become missing). */
  categories?: string[];
  /** Missing values seen in training (explanations mention missing values only when there were some). */
  missingCount?: number;
}

export interface ExcludedColumn {
  name: string;
  reason: ExclusionReason;
}

const missingTokens = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);
const trueTokens = new Set(['true', 'yes', 'y', 't']);
const falseTokens = new Set(['false', 'no', 'n', 'f']);

export function isMissing(text: string): boolean {
  return missingTokens.has(text.trim().toLowerCase());
}

/** 1 for true/yes/y/t, 0 for false/no/n/f (any case), NaN otherwise. */
export function parseBoolean(text: string): number {
  const t = text.trim().toLowerCase();
  if (trueTokens.has(t)) return 1;
  if (falseTokens.has(t)) return 0;
  return Number.NaN;
}

/** A number, or NaN when the text is not one (thousands separators are not accepted). */
export function parseNumeric(text: string): number {
  const t = text.trim();
  if (t === '') return Number.NaN;
  const value = Number(t);
  return Number.isFinite(value) ? value : Number.NaN;
}

export const idNamePattern = /(^|[_\s.-])(id|uuid|guid|key|msisdn|phone|imsi|imei)$|^(id|uuid|msisdn|phone)$/i;

export interface InferOptions {
  maxCategories?: number;
}

/** Infers how a column of text is to be read as a model feature. */
export function inferColumn(
  name: string,
  values: readonly string[],
  options: InferOptions = {},
): FeatureSchema | ExcludedColumn {
  const maxCategories = options.maxCategories ?? 200;
  let present = 0;
  let numeric = 0;
  let boolean = 0;
  const distinct = new Map<string, number>();
  for (const raw of values) {
    if (isMissing(raw)) continue;
    present++;
    const text = raw.trim();
    if (!Number.isNaN(parseNumeric(text))) numeric++;
    if (!Number.isNaN(parseBoolean(text))) boolean++;
    if (distinct.size <= 100_000) distinct.set(text, (distinct.get(text) ?? 0) + 1);
  }
  if (present === 0) return { name, reason: 'empty' };
  if (distinct.size === 1) return { name, reason: 'constant' };
  const allDistinct = distinct.size === present;
  if (numeric === present) {
    const integers = [...distinct.keys()].every((k) => /^-?\d+$/.test(k));
    if (allDistinct && integers && present > 20 && idNamePattern.test(name)) return { name, reason: 'id-like' };
    if (allDistinct && integers && present > 20 && [...distinct.keys()].some((k) => k.length >= 11))
      return { name, reason: 'id-like' };
    return { name, kind: 'numeric', missingCount: values.length - present };
  }
  if (boolean === present) return { name, kind: 'boolean', missingCount: values.length - present };
  // a numeric column with a few stray words ("unknown") reads as numeric, the words as missing
  if (numeric >= present * 0.98 && present - numeric <= 5)
    return { name, kind: 'numeric', missingCount: values.length - numeric };
  if (idNamePattern.test(name) && distinct.size > present * 0.5) return { name, reason: 'id-like' };
  if (present > 20 && (allDistinct || distinct.size > Math.max(50, present * 0.5))) return { name, reason: 'id-like' };
  const categories = [...distinct.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxCategories)
    .map(([k]) => k);
  return { name, kind: 'categorical', categories, missingCount: values.length - present };
}

export function isExcluded(column: FeatureSchema | ExcludedColumn): column is ExcludedColumn {
  return 'reason' in column;
}

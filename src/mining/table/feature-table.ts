// A table ready for the models: every feature a Float64Array (numbers; booleans 0/1; categories as
// level indices), NaN for missing; the target as 0/1. The schema travels with a saved model.
import { AppError } from '../../shared/errors.ts';
import {
  type ExcludedColumn,
  type FeatureSchema,
  type InferOptions,
  inferColumn,
  isExcluded,
  isMissing,
  parseBoolean,
  parseNumeric,
} from './column-types.ts';
import { encodeParsedColumn, inferParsedColumn } from './parsed-columns.ts';
import { columnTexts, type RawTable } from './read-csv-table.ts';

export interface TargetSchema {
  name: string;
  positive: string;
  negative: string;
}

export interface TableSchema {
  features: FeatureSchema[];
  excluded: ExcludedColumn[];
  target: TargetSchema;
}

export interface FeatureTable {
  features: FeatureSchema[];
  columns: Float64Array[];
  rowCount: number;
}

export interface LabelledTable extends FeatureTable {
  /** 1 for the positive label, 0 for the negative. */
  labels: Uint8Array;
  /** Rows of the raw table kept (those with a target). */
  rows: Int32Array;
}

const positiveWords = ['1', 'true', 'yes', 'y', 't', 'positive', 'churn', 'churned', 'responded', 'responds'];

/** Reads the target's two labels and picks the positive one (given, or 1/true/yes, or the rarer). */
export function inferTarget(raw: RawTable, name: string, positive?: string): TargetSchema {
  const column = columnOf(raw, name, 'USAGE');
  const counts = new Map<string, number>();
  const canonical = new Map<string, string>();
  const labelKey = labelKeys();
  for (const value of column) {
    const key = labelKey(value);
    if (key === null) continue;
    canonical.set(key, canonical.get(key) ?? value.trim());
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()];
  if (keys.length !== 2)
    throw new AppError('INPUT_INVALID', `target "${name}" must have exactly two labels, found ${keys.length}`, {
      location: { file: raw.source, field: name },
      hint: `labels seen: ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`,
    });
  let positiveKey: string;
  if (positive !== undefined) {
    positiveKey = normaliseLabel(positive);
    if (!counts.has(positiveKey))
      throw new AppError('USAGE', `--positive "${positive}" is not a label of "${name}" (labels: ${keys.join(', ')})`);
  } else {
    const known = keys.filter((k) => positiveWords.includes(k));
    positiveKey =
      known.length === 1 ? known[0]! : keys.sort((a, b) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : 1))[0]!;
  }
  const negativeKey = keys.find((k) => k !== positiveKey)!;
  return { name, positive: canonical.get(positiveKey)!, negative: canonical.get(negativeKey)! };
}

/** A target cell's normalised label, null when missing; a target has few texts, so each is worked out once. */
function labelKeys(): (text: string) => string | null {
  const known = new Map<string, string | null>();
  return (text) => {
    let key = known.get(text);
    if (key === undefined) {
      key = isMissing(text) ? null : normaliseLabel(text);
      known.set(text, key);
    }
    return key;
  };
}

/** Labels compare without case, and true/yes/1 style words compare as booleans. */
function normaliseLabel(value: string): string {
  const t = value.trim().toLowerCase();
  const b = parseBoolean(t);
  if (!Number.isNaN(b) && t !== '0' && t !== '1') return b === 1 ? 'true' : 'false';
  return t;
}

export function inferTableSchema(
  raw: RawTable,
  target: string,
  options: InferOptions & { positive?: string } = {},
): TableSchema {
  const targetSchema = inferTarget(raw, target, options.positive);
  const features: FeatureSchema[] = [];
  const excluded: ExcludedColumn[] = [];
  raw.header.forEach((name, c) => {
    if (name === target) return;
    const column = inferColumnOf(raw, c, options);
    if (isExcluded(column)) excluded.push(column);
    else features.push(column);
  });
  if (features.length === 0)
    throw new AppError('INPUT_INVALID', 'no usable feature columns besides the target', {
      location: { file: raw.source },
    });
  return { features, excluded, target: targetSchema };
}

/** Feature columns of a table without a target: the named ones, or every usable column. */
export function inferFeatures(
  raw: RawTable,
  columns?: readonly string[],
  options: InferOptions = {},
): { features: FeatureSchema[]; excluded: ExcludedColumn[] } {
  const features: FeatureSchema[] = [];
  const excluded: ExcludedColumn[] = [];
  for (const name of columns ?? raw.header) {
    const column = inferColumnOf(raw, columnIndex(raw, name, 'USAGE'), options);
    if (isExcluded(column)) excluded.push(column);
    else features.push(column);
  }
  if (features.length === 0)
    throw new AppError('INPUT_INVALID', 'no usable feature columns', {
      location: { file: raw.source },
      hint: excluded.map((e) => `${e.name}: ${e.reason}`).join(', '),
    });
  return { features, excluded };
}

/**
 * Encodes the features of a raw table by a schema. Every feature column must be present, and its
 * values must fit its kind (a number for numeric, a true/false word for boolean); else the table does
 * not match the model (MODEL_SCHEMA_MISMATCH). Unknown categories read as missing.
 */
export function encodeFeatures(raw: RawTable, features: readonly FeatureSchema[]): FeatureTable {
  const columns = features.map((feature) => {
    if (raw.parsed) {
      const c = columnIndex(raw, feature.name, 'MODEL_SCHEMA_MISMATCH');
      const encoded = encodeParsedColumn(feature, raw.parsed[c]!, raw.rowCount);
      if (feature.kind !== 'categorical')
        checkStrays(raw, feature, encoded.stray, encoded.firstStray, () => columnTexts(raw, c)[encoded.firstStray]!);
      return encoded.values;
    }
    const values = columnOf(raw, feature.name, 'MODEL_SCHEMA_MISMATCH');
    const out = new Float64Array(raw.rowCount);
    if (feature.kind === 'categorical') {
      const levels = new Map(feature.categories!.map((c, i) => [c, i]));
      for (let r = 0; r < raw.rowCount; r++) out[r] = levels.get(values[r]!.trim()) ?? Number.NaN;
      return out;
    }
    const parse = feature.kind === 'numeric' ? parseNumeric : parseBoolean;
    let stray = 0;
    let firstStray = -1;
    for (let r = 0; r < raw.rowCount; r++) {
      const text = values[r]!;
      const value = parse(text);
      if (Number.isNaN(value) && !isMissing(text)) {
        stray++;
        if (firstStray === -1) firstStray = r;
      }
      out[r] = value;
    }
    checkStrays(raw, feature, stray, firstStray, () => values[firstStray]!);
    return out;
  });
  return { features: [...features], columns, rowCount: raw.rowCount };
}

/** The kind of column c: counted on the parsed columns when the table has them, else on its text. */
function inferColumnOf(raw: RawTable, c: number, options: InferOptions): FeatureSchema | ExcludedColumn {
  const name = raw.header[c]!;
  const fast = raw.parsed ? inferParsedColumn(name, raw.parsed[c]!, raw.rowCount, options) : null;
  return fast ?? inferColumn(name, columnTexts(raw, c), options);
}

/** A few stray words read as missing (as in training); more means the column is not what the model knows. */
function checkStrays(
  raw: RawTable,
  feature: FeatureSchema,
  stray: number,
  firstStray: number,
  text: () => string,
): void {
  if (stray <= Math.max(5, raw.rowCount * 0.02)) return;
  throw new AppError(
    'MODEL_SCHEMA_MISMATCH',
    `"${text()}" is not ${feature.kind === 'numeric' ? 'a number' : 'true/false'} (${stray} such values in the column)`,
    {
      location: { file: raw.source, line: raw.lines[firstStray], field: feature.name },
      hint: `the model reads "${feature.name}" as ${feature.kind}; check the column or retrain on this table`,
    },
  );
}

/** Features and 0/1 labels; rows without a target are left out. */
export function encodeLabelledTable(raw: RawTable, schema: TableSchema): LabelledTable {
  const all = encodeFeatures(raw, schema.features);
  const target = columnOf(raw, schema.target.name, 'MODEL_SCHEMA_MISMATCH');
  const positive = normaliseLabel(schema.target.positive);
  const negative = normaliseLabel(schema.target.negative);
  const rows: number[] = [];
  const labels: number[] = [];
  const labelKey = labelKeys();
  for (let r = 0; r < raw.rowCount; r++) {
    const text = target[r]!;
    const key = labelKey(text);
    if (key === null) continue;
    if (key !== positive && key !== negative)
      throw new AppError(
        'INPUT_INVALID',
        `target "${text}" is neither "${schema.target.positive}" nor "${schema.target.negative}"`,
        {
          location: { file: raw.source, line: raw.lines[r], field: schema.target.name },
        },
      );
    rows.push(r);
    labels.push(key === positive ? 1 : 0);
  }
  const keep = Int32Array.from(rows);
  // every row labelled (the usual case): the encoded columns serve as they are, no second copy
  const columns =
    keep.length === raw.rowCount
      ? all.columns
      : all.columns.map((column) => Float64Array.from(keep, (r) => column[r]!));
  return { features: all.features, columns, rowCount: keep.length, labels: Uint8Array.from(labels), rows: keep };
}

function columnOf(raw: RawTable, name: string, code: 'USAGE' | 'MODEL_SCHEMA_MISMATCH'): string[] {
  return columnTexts(raw, columnIndex(raw, name, code));
}

function columnIndex(raw: RawTable, name: string, code: 'USAGE' | 'MODEL_SCHEMA_MISMATCH'): number {
  const c = raw.header.indexOf(name);
  if (c === -1)
    throw new AppError(code, `table has no column "${name}"`, {
      location: { file: raw.source, line: 1 },
      hint: `columns are: ${raw.header.join(', ')}`,
    });
  return c;
}

/** Rows of a feature table, by index. */
export function selectRows<T extends FeatureTable>(table: T, rows: Int32Array): FeatureTable {
  return {
    features: table.features,
    columns: table.columns.map((column) => Float64Array.from(rows, (r) => column[r]!)),
    rowCount: rows.length,
  };
}

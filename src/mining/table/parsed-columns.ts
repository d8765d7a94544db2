// Column inference and encoding on columns parsed from bytes (numbers as doubles, other cells as
// interned words): the same rules as column-types.ts and feature-table.ts, counted per distinct word
// instead of per cell, so a numeric column of a million rows costs one pass over a Float64Array.
import {
  type ExcludedColumn,
  type FeatureSchema,
  type InferOptions,
  idNamePattern,
  isMissing,
  parseBoolean,
} from './column-types.ts';
import type { ParsedColumn } from './parse-csv-bytes.ts';

/** The column's cells as text (numbers printed back), for the paths that want strings. */
export function parsedColumnTexts(column: ParsedColumn, rowCount: number): string[] {
  const out = new Array<string>(rowCount);
  const { numbers, codes, words } = column;
  for (let r = 0; r < rowCount; r++) {
    const code = codes ? codes[r]! : 0;
    out[r] = code > 0 ? words[code - 1]! : String(numbers[r]!);
  }
  return out;
}

function wordCounts(column: ParsedColumn, rowCount: number): Int32Array {
  const counts = new Int32Array(column.words.length);
  const { codes } = column;
  if (codes) for (let r = 0; r < rowCount; r++) if (codes[r]! > 0) counts[codes[r]! - 1]!++;
  return counts;
}

/** As inferColumn; null when the column mixes numbers and words beyond what is decided here (ask inferColumn). */
export function inferParsedColumn(
  name: string,
  column: ParsedColumn,
  rowCount: number,
  options: InferOptions = {},
): FeatureSchema | ExcludedColumn | null {
  const maxCategories = options.maxCategories ?? 200;
  const counts = wordCounts(column, rowCount);
  let numbersCount = rowCount;
  let presentWords = 0;
  let booleanWords = 0;
  const presentLevels: [string, number][] = [];
  column.words.forEach((word, w) => {
    numbersCount -= counts[w]!;
    if (counts[w] === 0 || isMissing(word)) return;
    presentWords += counts[w]!;
    presentLevels.push([word, counts[w]!]);
    if (!Number.isNaN(parseBoolean(word))) booleanWords += counts[w]!;
  });
  const present = numbersCount + presentWords;
  if (present === 0) return { name, reason: 'empty' };
  if (numbersCount === present || (numbersCount >= present * 0.98 && presentWords <= 5)) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let integers = true;
    const { numbers } = column;
    for (let r = 0; r < rowCount; r++) {
      const v = numbers[r]!;
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (integers && !Number.isInteger(v)) integers = false;
    }
    if (numbersCount === present) {
      if (min === max) return { name, reason: 'constant' };
      const longDigits = Math.max(Math.abs(min), Math.abs(max)) >= 1e10;
      if (integers && present > 20 && (idNamePattern.test(name) || longDigits) && allDistinct(numbers))
        return { name, reason: 'id-like' };
      return { name, kind: 'numeric', missingCount: rowCount - present };
    }
    return { name, kind: 'numeric', missingCount: rowCount - numbersCount };
  }
  if (numbersCount > 0) return null;
  if (presentLevels.length === 1) return { name, reason: 'constant' };
  if (booleanWords === present) return { name, kind: 'boolean', missingCount: rowCount - present };
  const distinct = presentLevels.length;
  const allDifferent = distinct === present;
  if (idNamePattern.test(name) && distinct > present * 0.5) return { name, reason: 'id-like' };
  if (present > 20 && (allDifferent || distinct > Math.max(50, present * 0.5))) return { name, reason: 'id-like' };
  const categories = presentLevels
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxCategories)
    .map(([k]) => k);
  return { name, kind: 'categorical', categories, missingCount: rowCount - present };
}

function allDistinct(numbers: Float64Array): boolean {
  const sorted = numbers.filter((v) => !Number.isNaN(v)).sort();
  for (let k = 1; k < sorted.length; k++) if (sorted[k] === sorted[k - 1]) return false;
  return true;
}

export interface EncodedColumn {
  values: Float64Array;
  /** Cells that do not fit the kind (words in a numeric column …), and the first of them. */
  stray: number;
  firstStray: number;
}

/** As encodeFeatures for one column. A numeric column's doubles are shared, not copied. */
export function encodeParsedColumn(feature: FeatureSchema, column: ParsedColumn, rowCount: number): EncodedColumn {
  const { numbers, codes, words } = column;
  const wordValue = new Float64Array(words.length + 1).fill(Number.NaN);
  const wordStray = new Uint8Array(words.length + 1);
  let numberValue: ((v: number) => number) | null = null;
  let numbersStray = false;
  if (feature.kind === 'numeric') {
    words.forEach((word, w) => {
      wordStray[w + 1] = isMissing(word) ? 0 : 1;
    });
  } else if (feature.kind === 'boolean') {
    words.forEach((word, w) => {
      wordValue[w + 1] = parseBoolean(word);
      wordStray[w + 1] = Number.isNaN(wordValue[w + 1]!) && !isMissing(word) ? 1 : 0;
    });
    numbersStray = true;
  } else {
    const levels = new Map(feature.categories!.map((c, i) => [c, i]));
    words.forEach((word, w) => {
      wordValue[w + 1] = levels.get(word) ?? Number.NaN;
    });
    numberValue = (v) => levels.get(String(v)) ?? Number.NaN;
  }
  let stray = 0;
  let firstStray = -1;
  let values: Float64Array;
  if (feature.kind === 'numeric' && codes === null) values = numbers;
  else {
    values = new Float64Array(rowCount);
    for (let r = 0; r < rowCount; r++) {
      const code = codes ? codes[r]! : 0;
      if (code > 0) {
        values[r] = wordValue[code]!;
        if (wordStray[code]) {
          stray++;
          if (firstStray < 0) firstStray = r;
        }
      } else if (feature.kind === 'numeric') values[r] = numbers[r]!;
      else if (numberValue) values[r] = numberValue(numbers[r]!);
      else {
        values[r] = Number.NaN;
        if (numbersStray) {
          stray++;
          if (firstStray < 0) firstStray = r;
        }
      }
    }
  }
  return { values, stray, firstStray };
}

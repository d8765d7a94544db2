// Numeric inputs for linear models and networks: numbers standardised (missing → mean, plus a
// missing flag where training had gaps), booleans 0/1, categories one-hot. Row-major Float64Array.
import type { FeatureSchema, FeatureTable } from '../table/index.ts';

export interface DesignColumn {
  feature: number;
  /** 'value': standardised number or boolean; 'missing': 1 if missing; 'level': 1 if category = level. */
  role: 'value' | 'missing' | 'level';
  level?: number;
  mean?: number;
  scale?: number;
}

export interface DesignEncoder {
  columns: DesignColumn[];
}

export function fitDesignEncoder(table: FeatureTable, maxLevels = 50): DesignEncoder {
  const columns: DesignColumn[] = [];
  table.features.forEach((feature: FeatureSchema, f) => {
    const values = table.columns[f]!;
    let missing = 0;
    let sum = 0;
    let sumSq = 0;
    for (const v of values) {
      if (Number.isNaN(v)) missing++;
      else {
        sum += v;
        sumSq += v * v;
      }
    }
    const present = values.length - missing;
    if (feature.kind === 'categorical') {
      const levels = Math.min(maxLevels, feature.categories!.length);
      for (let level = 0; level < levels; level++) columns.push({ feature: f, role: 'level', level });
      return;
    }
    const mean = present ? sum / present : 0;
    const variance = present ? Math.max(0, sumSq / present - mean * mean) : 0;
    columns.push({ feature: f, role: 'value', mean, scale: Math.sqrt(variance) || 1 });
    if (missing > 0) columns.push({ feature: f, role: 'missing' });
  });
  return { columns };
}

/** Row-major matrix, rowCount × columns.length. */
export function encodeDesign(encoder: DesignEncoder, table: FeatureTable): Float64Array {
  const width = encoder.columns.length;
  const out = new Float64Array(table.rowCount * width);
  encoder.columns.forEach((column, j) => {
    const values = table.columns[column.feature]!;
    for (let r = 0; r < table.rowCount; r++) {
      const v = values[r]!;
      let x: number;
      if (column.role === 'value') x = Number.isNaN(v) ? 0 : (v - column.mean!) / column.scale!;
      else if (column.role === 'missing') x = Number.isNaN(v) ? 1 : 0;
      else x = v === column.level ? 1 : 0;
      out[r * width + j] = x;
    }
  });
  return out;
}

// What sets a segment apart: numeric features by how far the segment's mean sits from the overall
// mean (in standard deviations), categories and booleans by how much more common a level is inside.
import type { FeatureTable } from '../table/index.ts';

export interface SegmentTrait {
  feature: string;
  /** Strength used for ranking: |z| for numbers, |share inside − share overall| × 4 for levels. */
  strength: number;
  text: string;
  /** The segment's mean above (`high`) or below (`low`) the overall mean, or a level more common inside. */
  direction: 'high' | 'low' | 'level';
  /** The level, for categories and booleans. */
  level?: string;
  /** Mean (numbers) or share of the level (categories) inside the segment and overall. */
  inside: number;
  overall: number;
}

export function describeSegment(table: FeatureTable, assignment: Int32Array, segment: number): SegmentTrait[] {
  const traits: SegmentTrait[] = [];
  table.features.forEach((feature, f) => {
    const values = table.columns[f]!;
    if (feature.kind === 'numeric') {
      let n = 0;
      let sum = 0;
      let sumSq = 0;
      let inN = 0;
      let inSum = 0;
      for (let r = 0; r < values.length; r++) {
        const v = values[r]!;
        if (Number.isNaN(v)) continue;
        n++;
        sum += v;
        sumSq += v * v;
        if (assignment[r] === segment) {
          inN++;
          inSum += v;
        }
      }
      if (n === 0 || inN === 0) return;
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean)) || 1;
      const inMean = inSum / inN;
      const z = (inMean - mean) / sd;
      traits.push({
        feature: feature.name,
        strength: Math.abs(z),
        text: `${z > 0 ? 'high' : 'low'} ${feature.name} (${round(inMean)} vs ${round(mean)}, ${z > 0 ? '+' : ''}${round(z)} sd)`,
        direction: z > 0 ? 'high' : 'low',
        inside: inMean,
        overall: mean,
      });
      return;
    }
    const levels = feature.kind === 'boolean' ? ['false', 'true'] : feature.categories!;
    const all = new Float64Array(levels.length);
    const inside = new Float64Array(levels.length);
    let total = 0;
    let inTotal = 0;
    for (let r = 0; r < values.length; r++) {
      const v = values[r]!;
      if (Number.isNaN(v)) continue;
      all[v]!++;
      total++;
      if (assignment[r] === segment) {
        inside[v]!++;
        inTotal++;
      }
    }
    if (total === 0 || inTotal === 0) return;
    let best = -1;
    let bestDifference = 0;
    for (let l = 0; l < levels.length; l++) {
      const difference = inside[l]! / inTotal - all[l]! / total;
      if (difference > bestDifference) {
        bestDifference = difference;
        best = l;
      }
    }
    if (best === -1) return;
    traits.push({
      feature: feature.name,
      strength: bestDifference * 4,
      text: `${feature.name} = ${levels[best]} (${Math.round((inside[best]! / inTotal) * 100)} % vs ${Math.round((all[best]! / total) * 100)} %)`,
      direction: 'level',
      level: levels[best],
      inside: inside[best]! / inTotal,
      overall: all[best]! / total,
    });
  });
  return traits.sort((a, b) => b.strength - a.strength);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

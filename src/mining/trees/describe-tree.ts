// A classification tree as readable rules, one a leaf:
// "brand = mzone and age < 25 and music_visits >= 4 → responds, 61 %, n=812".
import type { FeatureSchema, TargetSchema } from '../table/index.ts';
import type { DecisionTree } from './decision-tree.ts';

export interface TreeRule {
  conditions: string[];
  /** Positive rate in the leaf (training rows). */
  positiveRate: number;
  rows: number;
  text: string;
}

export function describeTree(tree: DecisionTree, features: readonly FeatureSchema[], target: TargetSchema): TreeRule[] {
  const rules: TreeRule[] = [];
  const walk = (node: number, conditions: string[]) => {
    const f = tree.feature[node]!;
    if (f < 0) {
      const rate = tree.value[node]!;
      const label = rate >= 0.5 ? target.positive : target.negative;
      const shown = rate >= 0.5 ? rate : 1 - rate;
      const text = `${conditions.length ? conditions.join(' and ') : '(all rows)'} → ${label}, ${Math.round(shown * 100)} %, n=${tree.cover[node]}`;
      rules.push({ conditions, positiveRate: rate, rows: tree.cover[node]!, text });
      return;
    }
    const [yes, no] = splitConditions(tree, node, features[f]!);
    walk(tree.left[node]!, mergeCondition(conditions, yes));
    walk(tree.right[node]!, mergeCondition(conditions, no));
  };
  walk(0, []);
  return rules.sort((a, b) => b.positiveRate - a.positiveRate || b.rows - a.rows);
}

function splitConditions(tree: DecisionTree, node: number, feature: FeatureSchema): [Condition, Condition] {
  // a missing value follows the split's default side; say so only if training had missing values
  const missingLeft = (feature.missingCount ?? 1) > 0 ? tree.missingLeft[node] === 1 : null;
  const levels = tree.leftLevels[node];
  if (levels) {
    const names = levels.map((l) => levelName(feature, l));
    const missing = { left: missingLeft };
    return [
      { feature: feature.name, op: 'in', values: names, ...missing, side: 'left' },
      { feature: feature.name, op: 'not in', values: names, ...missing, side: 'right' },
    ];
  }
  const t = Number(tree.threshold[node]!.toPrecision(6));
  return [
    { feature: feature.name, op: '<', value: t, left: missingLeft, side: 'left' },
    { feature: feature.name, op: '>=', value: t, left: missingLeft, side: 'right' },
  ];
}

interface Condition {
  feature: string;
  op: '<' | '>=' | 'in' | 'not in';
  value?: number;
  values?: string[];
  /** Whether missing values go left at this split; null when there were none in training. */
  left: boolean | null;
  side: 'left' | 'right';
}

function levelName(feature: FeatureSchema, level: number): string {
  if (feature.kind === 'boolean') return level === 1 ? 'true' : 'false';
  return feature.categories?.[level] ?? String(level);
}

/** Appends a condition, dropping a looser one on the same feature and side ("x < 5" then "x < 3"). */
function mergeCondition(conditions: string[], condition: Condition): string[] {
  const text = formatCondition(condition);
  if (condition.op === '<' || condition.op === '>=') {
    const prefix = `${condition.feature} ${condition.op} `;
    const kept = conditions.filter((c) => !c.startsWith(prefix));
    return [...kept, text];
  }
  return [...conditions, text];
}

function formatCondition(c: Condition): string {
  const orMissing = c.left !== null && c.left === (c.side === 'left') ? ' (or missing)' : '';
  // thresholds sit between two values: "< t" on the left is "≤ t" exactly; shown as "<" for reading
  if (c.op === '<' || c.op === '>=') return `${c.feature} ${c.op} ${c.value}${orMissing}`;
  const values = c.values!;
  if (values.length === 1) return `${c.feature} ${c.op === 'in' ? '=' : '≠'} ${values[0]}${orMissing}`;
  return `${c.feature} ${c.op} {${values.join(', ')}}${orMissing}`;
}

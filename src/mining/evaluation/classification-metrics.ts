// Held-out measures of a binary classifier: PR AUC (average precision), log loss, accuracy and the
// confusion matrix at a threshold, and the gain/lift table by decile of score.
import { type RocPoint, rocAuc, rocCurve } from './roc-auc.ts';

export interface ConfusionMatrix {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface GainRow {
  decile: number;
  rows: number;
  positives: number;
  /** Positive rate within the decile. */
  rate: number;
  /** Share of all positives found up to this decile. */
  cumulativeGain: number;
  /** Cumulative positive rate / overall rate. */
  lift: number;
}

export interface ClassificationReport {
  rows: number;
  positives: number;
  auc: number;
  prAuc: number;
  logLoss: number;
  accuracy: number;
  confusion: ConfusionMatrix;
  gain: GainRow[];
  /** At most 101 points, for charts. */
  roc: RocPoint[];
}

function descendingOrder(scores: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Average precision: the mean of the precision at each positive, ties taken together. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = descendingOrder(scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let sum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    let groupPositives = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!] === 1) groupPositives++;
      j++;
    }
    tp += groupPositives;
    seen += j - i;
    sum += groupPositives * (tp / seen);
    i = j;
  }
  return sum / positives;
}

export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(Math.max(probabilities[i]!, 1e-15), 1 - 1e-15);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}

export function confusionAt(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): ConfusionMatrix {
  const m = { threshold, truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < probabilities.length; i++) {
    const predicted = probabilities[i]! >= threshold;
    if (labels[i] === 1) predicted ? m.truePositives++ : m.falseNegatives++;
    else predicted ? m.falsePositives++ : m.trueNegatives++;
  }
  return m;
}

export function gainTable(scores: ArrayLike<number>, labels: ArrayLike<number>, groups = 10): GainRow[] {
  const order = descendingOrder(scores);
  const n = order.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += labels[i] === 1 ? 1 : 0;
  const overall = n ? total / n : 0;
  const rows: GainRow[] = [];
  let cumulativePositives = 0;
  let cumulativeRows = 0;
  for (let d = 0; d < groups; d++) {
    const start = Math.floor((d * n) / groups);
    const end = Math.floor(((d + 1) * n) / groups);
    let positives = 0;
    for (let k = start; k < end; k++) positives += labels[order[k]!] === 1 ? 1 : 0;
    cumulativePositives += positives;
    cumulativeRows += end - start;
    rows.push({
      decile: d + 1,
      rows: end - start,
      positives,
      rate: end > start ? positives / (end - start) : 0,
      cumulativeGain: total ? cumulativePositives / total : 0,
      lift: cumulativeRows && overall ? cumulativePositives / cumulativeRows / overall : 0,
    });
  }
  return rows;
}

export function evaluateClassifier(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold = 0.5,
): ClassificationReport {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const confusion = confusionAt(probabilities, labels, threshold);
  return {
    rows: labels.length,
    positives,
    auc: rocAuc(probabilities, labels),
    prAuc: averagePrecision(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    accuracy: (confusion.truePositives + confusion.trueNegatives) / Math.max(1, labels.length),
    confusion,
    gain: gainTable(probabilities, labels),
    roc: rocCurve(probabilities, labels),
  };
}

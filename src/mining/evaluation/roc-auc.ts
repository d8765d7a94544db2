// Area under the ROC curve by ranks (ties count half), and the curve itself for charts.

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += meanRank;
      }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface RocPoint {
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** The ROC curve, at most maxPoints points (for charts). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 101): RocPoint[] {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, falsePositiveRate: 0, truePositiveRate: 0 }];
  let tp = 0;
  let fp = 0;
  const step = Math.max(1, Math.floor(n / maxPoints));
  for (let k = 0; k < n; k++) {
    if (labels[order[k]!] === 1) tp++;
    else fp++;
    const last = k === n - 1;
    if (last || ((k + 1) % step === 0 && scores[order[k + 1]!] !== scores[order[k]!]))
      points.push({
        threshold: scores[order[k]!]!,
        falsePositiveRate: negatives ? fp / negatives : 0,
        truePositiveRate: positives ? tp / positives : 0,
      });
  }
  return points;
}

// Whether a model earned the right to have its scores written: its held-out AUC must be above its
// baseline's by more than chance. Without a fitted baseline, the baseline is the no-information model
// (AUC 0.5), and the margin is two standard errors of the AUC (Hanley & McNeil 1982), so that a table
// without signal, whose AUC wanders around 0.5, is told so instead of getting scores.

export interface BaselineVerdict {
  /** What the model was compared with. */
  baseline: string;
  baselineAuc: number;
  auc: number;
  /** Standard error of the model's AUC on the held-out rows. */
  aucStandardError: number;
  beatsBaseline: boolean;
}

export function aucStandardError(auc: number, positives: number, negatives: number): number {
  if (positives === 0 || negatives === 0 || Number.isNaN(auc)) return Number.NaN;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) /
    (positives * negatives);
  return Math.sqrt(Math.max(variance, 0));
}

export function judgeAgainstBaseline(options: {
  auc: number;
  positives: number;
  negatives: number;
  /** A baseline model fitted in the same run on the same split; absent: no information (0.5). */
  baseline?: { name: string; auc: number };
}): BaselineVerdict {
  const se = aucStandardError(options.auc, options.positives, options.negatives);
  const baseline = options.baseline ?? { name: 'no information (AUC 0.5)', auc: 0.5 };
  // against a fitted baseline both sides carry the same noise; plainly above it is the bar there
  const margin = options.baseline ? 0 : 2 * se;
  return {
    baseline: baseline.name,
    baselineAuc: baseline.auc,
    auc: options.auc,
    aucStandardError: se,
    beatsBaseline: Number.isFinite(options.auc) && options.auc - margin > baseline.auc,
  };
}

// Uplift from four counts, with the normal-approximation interval of a difference of two proportions.
import type { UpliftEstimate } from './uplift-types.ts';

export interface ArmCounts {
  treated: number;
  control: number;
  treatedResponders: number;
  controlResponders: number;
}

/** z of a two-sided interval: 1.96 for 95 %; `confidence` may be Bonferroni-raised. */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

export function estimateUplift(counts: ArmCounts, confidence = 0.95): UpliftEstimate {
  const { treated, control, treatedResponders, controlResponders } = counts;
  const treatedRate = treated > 0 ? treatedResponders / treated : 0;
  const controlRate = control > 0 ? controlResponders / control : 0;
  const uplift = treatedRate - controlRate;
  const half = treated > 0 && control > 0 ? zFor(confidence) * upliftStandardError(counts) : Number.POSITIVE_INFINITY;
  return {
    treated,
    control,
    treatedResponders,
    controlResponders,
    treatedRate,
    controlRate,
    uplift,
    ciLow: uplift - half,
    ciHigh: uplift + half,
  };
}

/**
 * Standard error of the uplift. Each rate's variance uses the rate shrunk by one pseudo-response
 * (Agresti-Caffo: add one success and one failure to each arm), so a group with no responders
 * does not claim a zero-width interval.
 */
export function upliftStandardError(counts: ArmCounts): number {
  const pt = (counts.treatedResponders + 1) / (counts.treated + 2);
  const pc = (counts.controlResponders + 1) / (counts.control + 2);
  return Math.sqrt((pt * (1 - pt)) / (counts.treated + 2) + (pc * (1 - pc)) / (counts.control + 2));
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

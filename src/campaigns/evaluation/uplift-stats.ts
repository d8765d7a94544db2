// Uplift of a contacted group over its control: the difference of two proportions in percentage
// points, a 95 % interval from the unpooled standard error (Wald), and the two-sided p-value of the
// pooled z-test of "no difference". Pure arithmetic, checked against hand-worked numbers in tests.

export interface GroupCount {
  subscribers: number;
  responders: number;
}

export interface Uplift {
  rateContacted: number | null;
  rateControl: number | null;
  /** Percentage points; null when a group is empty. */
  uplift: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
}

const Z95 = 1.959963984540054;

export function upliftOf(contacted: GroupCount, control: GroupCount): Uplift {
  const n1 = contacted.subscribers;
  const n0 = control.subscribers;
  if (n1 === 0 || n0 === 0) {
    return {
      rateContacted: n1 === 0 ? null : contacted.responders / n1,
      rateControl: n0 === 0 ? null : control.responders / n0,
      uplift: null,
      ciLow: null,
      ciHigh: null,
      pValue: null,
    };
  }
  const p1 = contacted.responders / n1;
  const p0 = control.responders / n0;
  const diff = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  const pooled = (contacted.responders + control.responders) / (n1 + n0);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  const pValue = sePooled === 0 ? (diff === 0 ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(diff) / sePooled));
  return {
    rateContacted: p1,
    rateControl: p0,
    uplift: diff * 100,
    ciLow: (diff - Z95 * se) * 100,
    ciHigh: (diff + Z95 * se) * 100,
    pValue,
  };
}

/** Φ(x) through erf (Abramowitz–Stegun 7.1.26, error below 1.5e-7: enough for a p-value). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

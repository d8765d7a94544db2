// How well a score ranks subscribers by uplift, on samples it was not fitted on: the Qini
// coefficient and the uplift in each tenth of the ranking.
import type { UpliftDecile } from './uplift-types.ts';

export interface RankedSamples {
  /** Sample indices, best score first (ties already broken). */
  order: Int32Array;
  treated: Uint8Array;
  responded: Uint8Array;
}

/**
 * Area between the Qini curve Q(k) = R_t(k) − R_c(k)·N_t(k)/N_c(k) (incremental responders among the
 * k best-ranked) and the straight line of random targeting, averaged over k and divided by the
 * number of samples: incremental responders per subscriber that the ranking adds over chance.
 */
export function qiniCoefficient(ranked: RankedSamples): number {
  const n = ranked.order.length;
  if (n === 0) return 0;
  const curve = new Float64Array(n + 1);
  let nt = 0;
  let nc = 0;
  let rt = 0;
  let rc = 0;
  for (let k = 0; k < n; k++) {
    const i = ranked.order[k]!;
    if (ranked.treated[i]) {
      nt++;
      rt += ranked.responded[i]!;
    } else {
      nc++;
      rc += ranked.responded[i]!;
    }
    curve[k + 1] = rt - (nc > 0 ? (rc * nt) / nc : 0);
  }
  const end = curve[n]!;
  let area = 0;
  for (let k = 1; k <= n; k++) area += curve[k]! - (k / n) * end;
  return area / n / n;
}

export function upliftByDecile(ranked: RankedSamples): UpliftDecile[] {
  const n = ranked.order.length;
  const out: UpliftDecile[] = [];
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    let treated = 0;
    let control = 0;
    let rt = 0;
    let rc = 0;
    for (let k = from; k < to; k++) {
      const i = ranked.order[k]!;
      if (ranked.treated[i]) {
        treated++;
        rt += ranked.responded[i]!;
      } else {
        control++;
        rc += ranked.responded[i]!;
      }
    }
    const treatedRate = treated > 0 ? rt / treated : null;
    const controlRate = control > 0 ? rc / control : null;
    out.push({
      decile: d + 1,
      treated,
      control,
      treatedRate,
      controlRate,
      uplift: treatedRate !== null && controlRate !== null ? treatedRate - controlRate : null,
    });
  }
  return out;
}

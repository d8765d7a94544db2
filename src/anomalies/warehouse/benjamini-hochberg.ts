// Benjamini–Hochberg (1995): among m tests, reject the k smallest p-values where k is the largest
// rank with p(k) <= k/m * q. The expected share of false alarms among the alarms stays at or
// below q, however many slices are tested, without the Bonferroni penalty that would hide real
// anomalies when there are thousands of slice-days.

/** Indexes (into `pValues`) of the rejected tests. */
export function benjaminiHochberg(pValues: readonly number[], q: number): Set<number> {
  const m = pValues.length;
  const order = [...pValues.keys()].sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  let cut = -1;
  for (let rank = 0; rank < m; rank++) {
    if ((pValues[order[rank] as number] as number) <= ((rank + 1) / m) * q) cut = rank;
  }
  return new Set(order.slice(0, cut + 1));
}

// Where the NAB points go, for bench/detect.ts: the fixed split of the scored series into a tuning
// half and a held-out half, and per labelled window when the first alert came.
//
// The split is a rule fixed before any tuning, so nobody can pick the series that flatter a change:
// the 33 scored series sorted by key (category/file), tuning half = even positions (0, 2, …), held-out
// half = odd positions. Defaults of the series detector are chosen on the tuning half only.

export interface NabHalves {
  tuning: string[];
  heldOut: string[];
}

export function splitNabSeries(keys: readonly string[]): NabHalves {
  const sorted = [...keys].sort();
  return {
    tuning: sorted.filter((_, i) => i % 2 === 0),
    heldOut: sorted.filter((_, i) => i % 2 === 1),
  };
}

export interface WindowTiming {
  /** Windows whose first alert came in the window's first half (up to the labelled anomaly, its centre). */
  early: number;
  /** Windows whose first alert came in the second half of the window. */
  late: number;
  missed: number;
  /** Alerts after NAB's probation outside every window, before the series' first window (full cost). */
  falseBeforeFirstWindow: number;
  /** Alerts after NAB's probation outside every window, after a window (cost falls off with distance). */
  falseAfterWindow: number;
}

/**
 * Timing of the alerts of one series against its windows (row indices, inclusive). NAB labels a
 * window centred on the anomaly, so a causal detector that alerts on the anomaly itself lands in the
 * middle: `early` needs a warning sign before it.
 */
export function windowTiming(alerts: ArrayLike<number>, windows: readonly [number, number][]): WindowTiming {
  const n = alerts.length;
  const probation = Math.min(Math.floor(0.15 * n), 750);
  const timing: WindowTiming = { early: 0, late: 0, missed: 0, falseBeforeFirstWindow: 0, falseAfterWindow: 0 };
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of sorted) {
    let first = -1;
    for (let i = Math.max(start, probation); i <= end; i++) {
      if (alerts[i]) {
        first = i;
        break;
      }
    }
    if (end < probation) continue;
    if (first < 0) timing.missed += 1;
    else if (first - start < (end - start + 1) / 2) timing.early += 1;
    else timing.late += 1;
  }
  for (let i = probation; i < n; i++) {
    if (!alerts[i] || sorted.some(([s, e]) => i >= s && i <= e)) continue;
    if (sorted.length === 0 || i < (sorted[0] as [number, number])[0]) timing.falseBeforeFirstWindow += 1;
    else timing.falseAfterWindow += 1;
  }
  return timing;
}

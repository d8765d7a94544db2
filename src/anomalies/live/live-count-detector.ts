// Sudden drops and jumps in live counts (signalling events per area and interval while the stream
// runs): each interval's count is judged against the median of the intervals before it. The spread is
// the larger of the robust one (MAD) and the count's own Poisson noise (√median), so a quiet area does
// not alarm on a handful of events, and the change must also be large in proportion: a cell outage
// (240 → 12) alarms, a busy hour's 10 % more does not. A judged count joins the history either way, so
// a lasting new level becomes normal after half a baseline; after an alarm the same key stays quiet
// for `quietIntervals`.

export interface LiveCountOptions {
  /** Intervals in the baseline (the median of the last this many counts). */
  baselineIntervals: number;
  /** Intervals seen before a key is judged at all. */
  minimumIntervals: number;
  /** Robust z-score at which a change alarms. */
  zLimit: number;
  /** Smallest change, as a share of the expected count, that alarms (0.5: half up or down). */
  minimumRelativeChange: number;
  /** An area expecting fewer events than this per interval is too quiet to judge. */
  minimumExpected: number;
  quietIntervals: number;
}

export const defaultLiveCountOptions: LiveCountOptions = {
  baselineIntervals: 24,
  minimumIntervals: 6,
  zLimit: 5,
  minimumRelativeChange: 0.5,
  minimumExpected: 20,
  quietIntervals: 6,
};

export interface LiveCountChange {
  key: string;
  observed: number;
  expected: number;
  spread: number;
  z: number;
  direction: 'drop' | 'jump';
}

export class LiveCountDetector {
  private readonly o: LiveCountOptions;
  private readonly history = new Map<string, number[]>();
  private readonly quietUntil = new Map<string, number>();
  private interval = 0;

  constructor(options: Partial<LiveCountOptions> = {}) {
    this.o = { ...defaultLiveCountOptions, ...options };
  }

  /** Judges one closed interval: the count of every key seen so far (a key missing from `counts` counted 0). */
  observe(counts: ReadonlyMap<string, number>): LiveCountChange[] {
    const changes: LiveCountChange[] = [];
    const keys = new Set([...this.history.keys(), ...counts.keys()]);
    for (const key of keys) {
      const observed = counts.get(key) ?? 0;
      let past = this.history.get(key);
      if (!past) {
        past = [];
        this.history.set(key, past);
      }
      const change = past.length >= this.o.minimumIntervals ? this.judge(key, observed, past) : undefined;
      if (change && this.interval >= (this.quietUntil.get(key) ?? 0)) {
        changes.push(change);
        this.quietUntil.set(key, this.interval + this.o.quietIntervals + 1);
      }
      past.push(observed);
      if (past.length > this.o.baselineIntervals) past.shift();
    }
    this.interval++;
    return changes;
  }

  private judge(key: string, observed: number, past: readonly number[]): LiveCountChange | undefined {
    const expected = median(past);
    if (expected < this.o.minimumExpected && observed < this.o.minimumExpected) return undefined;
    const mad = median(past.map((v) => Math.abs(v - expected)));
    const spread = Math.max(1.4826 * mad, Math.sqrt(Math.max(expected, 1)));
    const z = (observed - expected) / spread;
    const relative = Math.abs(observed - expected) / Math.max(expected, 1);
    if (Math.abs(z) < this.o.zLimit || relative < this.o.minimumRelativeChange) return undefined;
    return { key, observed, expected, spread, z, direction: z < 0 ? 'drop' : 'jump' };
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

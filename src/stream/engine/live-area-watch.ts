// Watches the running stream's per-area event counts: at every interval boundary the stream's
// watermark passes, each area's events in the closed interval go to the live count detector, and a
// sudden drop or jump comes back as an anomaly. Counted from the engine's running totals after each
// batch, so it costs nothing per event; when one batch spans several intervals (a fast replay, a gap
// in the feed) the counts cannot be split between them, so that step only re-synchronises.
import {
  type Anomaly,
  defaultLiveCountOptions,
  liveChangeAnomaly,
  LiveCountDetector,
  type LiveCountOptions,
} from '../../anomalies/index.ts';
import type { TriggerEngine } from './trigger-engine.ts';

export interface LiveAreaWatchOptions {
  intervalSec: number;
  /** The operator's local time (minutes east of UTC), for the anomaly's day and time. */
  utcOffsetMinutes: number;
  detector?: Partial<LiveCountOptions>;
}

export class LiveAreaWatch {
  private readonly detector: LiveCountDetector;
  private readonly zLimit: number;
  private intervalStart = -1;
  private readonly totals = new Map<string, number>();

  constructor(private readonly options: LiveAreaWatchOptions) {
    this.detector = new LiveCountDetector(options.detector);
    this.zLimit = options.detector?.zLimit ?? defaultLiveCountOptions.zLimit;
  }

  /** Call after each batch; returns the anomalies of the intervals that closed. */
  check(engine: TriggerEngine): Anomaly[] {
    const intervalMs = this.options.intervalSec * 1000;
    const watermark = engine.watermarkMs;
    if (!(watermark > 0)) return [];
    const current = Math.floor(watermark / intervalMs) * intervalMs;
    const now = this.readTotals(engine);
    if (this.intervalStart < 0) {
      this.intervalStart = current;
      this.remember(now);
      return [];
    }
    if (current === this.intervalStart) return [];
    const closed = this.intervalStart;
    const spansOne = current - closed === intervalMs;
    const counts = new Map<string, number>();
    for (const [area, total] of now) counts.set(area, total - (this.totals.get(area) ?? 0));
    this.intervalStart = current;
    this.remember(now);
    if (!spansOne) return [];
    const local = new Date(closed + this.options.utcOffsetMinutes * 60_000).toISOString();
    return this.detector.observe(counts).map((change) =>
      liveChangeAnomaly(change, {
        area: change.key,
        day: local.slice(0, 10),
        at: local.slice(11, 16),
        intervalMinutes: this.options.intervalSec / 60,
        zLimit: this.zLimit,
      }),
    );
  }

  private readTotals(engine: TriggerEngine): Map<string, number> {
    const totals = new Map<string, number>();
    for (const g of engine.geofences.all()) {
      const fence = engine.geofences.idOf(g.id);
      if (fence === undefined) continue;
      totals.set(g.name ?? g.id, engine.areas.of(fence).events);
    }
    return totals;
  }

  private remember(totals: Map<string, number>): void {
    this.totals.clear();
    for (const [k, v] of totals) this.totals.set(k, v);
  }
}

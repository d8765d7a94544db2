// Running counts per geofence for the live area view: events, entries, leaves and decisions by status.

export interface AreaCounts {
  /** Signalling events in the fence's cells: the live count the drop/jump detector watches. */
  events: number;
  enters: number;
  leaves: number;
  triggered: number;
  control: number;
  suppressed: number;
}

export class AreaCounters {
  private readonly counts: AreaCounts[] = [];

  of(fence: number): AreaCounts {
    let counts = this.counts[fence];
    if (!counts) {
      counts = { events: 0, enters: 0, leaves: 0, triggered: 0, control: 0, suppressed: 0 };
      this.counts[fence] = counts;
    }
    return counts;
  }

  toJSON(): (AreaCounts | null)[] {
    return this.counts.map((c) => c ?? null);
  }

  restore(saved: readonly (Partial<AreaCounts> | null)[], remap: (fence: number) => number | undefined): void {
    saved.forEach((counts, fence) => {
      const to = remap(fence);
      // Snapshots from before the events count start it at 0.
      if (counts && to !== undefined)
        this.counts[to] = { events: 0, enters: 0, leaves: 0, triggered: 0, control: 0, suppressed: 0, ...counts };
    });
  }
}

// Where stream lines come from. Each source yields batches of lines with a position: a byte offset for
// files, a stream sequence for NATS, -1 for sources that cannot be resumed (stdin, TCP).

export interface SourceLine {
  text: string;
  /** Position after this line, increasing; -1 when the source cannot resume. */
  position: number;
  /** Wall-clock ms when the line was read, for latency figures. */
  arrivedAtMs: number;
  /**
   * The ordered lane the line belongs to, for sources that interleave several (partitions read by one
   * consumer each); `position` then increases within the lane only.
   */
  lane?: number;
}

export interface StreamSource {
  readonly description: string;
  /**
   * Batches of lines, resuming after `from` (the last position processed, -1 for the start) or, for a
   * source of lanes, after each lane's position in `lanes`.
   */
  batches(from: number, lanes?: ReadonlyMap<number, number>): AsyncIterable<SourceLine[]>;
  /**
   * Everything up to `position` (per lane: `lanes`) is safely snapshotted: a durable source may acknowledge
   * it. The stream's last checkpoint commits once more after `close()`.
   */
  commit?(position: number, lanes?: ReadonlyMap<number, number>): Promise<void>;
  close(): Promise<void>;
}

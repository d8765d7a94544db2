// The side that shows the page: listens to every worker's area reports and answers the merged counts
// (area-report.ts). Staleness is judged by when a report arrived here, not by the worker's clock, so
// clocks that disagree between machines cannot keep a dead worker's counts alive.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Clock } from '../../shared/clock.ts';
import { connectCluster } from '../partitions/signalling-stream.ts';
import {
  AREA_REPORT_SUBJECT,
  type AreaReport,
  type MergedLiveAreas,
  mergeAreaReports,
  type ReceivedReport,
} from './area-report.ts';

export interface LiveAreaBoardOptions {
  servers: readonly string[];
  clock: Clock;
  /** A report older than this many of its intervals is stale (default 3). */
  staleAfter?: number;
  /** A report older than this is forgotten (default 10 min): a worker slot that is gone for good. */
  forgetAfterMs?: number;
}

export class LiveAreaBoard {
  private readonly received = new Map<string, ReceivedReport>();

  private constructor(
    private readonly connection: NatsConnection,
    private readonly subscription: Subscription,
    private readonly options: LiveAreaBoardOptions,
  ) {}

  static async open(options: LiveAreaBoardOptions): Promise<LiveAreaBoard> {
    const connection = await connectCluster(options.servers);
    const subscription = connection.subscribe(`${AREA_REPORT_SUBJECT}.*`);
    const board = new LiveAreaBoard(connection, subscription, options);
    void board.listen();
    await connection.flush(); // the subscription is known to the server before open() returns
    return board;
  }

  /** The sum over the workers that reported lately, and every worker's state. */
  merged(): MergedLiveAreas {
    const nowMs = this.options.clock.nowMs();
    for (const [subject, r] of this.received)
      if (nowMs - r.receivedAtMs > (this.options.forgetAfterMs ?? 600_000)) this.received.delete(subject);
    return mergeAreaReports([...this.received.values()], {
      nowMs,
      staleAfter: this.options.staleAfter,
    });
  }

  async close(): Promise<void> {
    this.subscription.unsubscribe();
    await this.connection.drain().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    for await (const message of this.subscription) {
      let report: AreaReport;
      try {
        report = message.json<AreaReport>();
      } catch {
        continue; // not a report (another tool on the subject): ignored, the next real one counts
      }
      if (!report?.worker || !report.view) continue;
      this.received.set(message.subject, { report, receivedAtMs: this.options.clock.nowMs() });
    }
  }
}

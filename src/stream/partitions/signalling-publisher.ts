// Publishes signalling to the partitioned stream: events are grouped per partition and sent many to a
// message (one JSON line each), every message acknowledged by the stream before it counts as sent.
// Each partition is one chain of publishes, so a subscriber's events stay in order even when a publish
// is retried; the retry carries the same message id, so the stream keeps one copy (duplicate window).
import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AppError } from '../../shared/errors.ts';
import { partitionOf, partitionSubject, SIGNALLING_STREAM } from './partition-of.ts';
import { connectCluster, ensureSignallingStream } from './signalling-stream.ts';

export interface SignallingPublisherOptions {
  servers: readonly string[];
  partitions: number;
  replicas?: number;
  /** Events per message (default 500). */
  batchEvents?: number;
  /** Prefix of the message ids (default: random per publisher); the same prefix re-sent is stored once. */
  runId?: string;
  /** Give up on a message after this long without an acknowledgement (default 60 s). */
  publishTimeoutMs?: number;
}

export interface PublishSummary {
  events: number;
  messages: number;
  /** Publishes sent again after a failure or a missing acknowledgement. */
  retries: number;
  /** Messages the stream had already (a retry of a publish that had in fact been stored). */
  duplicates: number;
}

export interface SignallingPublisher {
  /** Queues one event line for its subscriber's partition; resolves when there is room for more. */
  add(line: string, msisdn: string): Promise<void>;
  /** Sends what is queued, waits for every acknowledgement and closes the connection. */
  close(): Promise<PublishSummary>;
}

const IN_FLIGHT_PER_PARTITION = 4;

export async function openSignallingPublisher(options: SignallingPublisherOptions): Promise<SignallingPublisher> {
  const connection = await connectCluster(options.servers);
  try {
    await ensureSignallingStream(connection, { partitions: options.partitions, replicas: options.replicas });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const js = jetstream(connection);
  const batchEvents = options.batchEvents ?? 500;
  const runId = options.runId ?? randomUUID();
  const summary: PublishSummary = { events: 0, messages: 0, retries: 0, duplicates: 0 };
  const buffers: string[][] = Array.from({ length: options.partitions }, () => []);
  const chains: Promise<void>[] = Array.from({ length: options.partitions }, () => Promise.resolve());
  const inFlight = new Array<number>(options.partitions).fill(0);
  const sequence = new Array<number>(options.partitions).fill(0);
  let failure: Error | undefined;

  const publishOne = async (partition: number, body: string, msgID: string) => {
    const deadline = Date.now() + (options.publishTimeoutMs ?? 60_000);
    for (;;) {
      try {
        const ack = await js.publish(partitionSubject(partition), body, { msgID, timeout: 5000 });
        if (ack.duplicate) summary.duplicates++;
        return;
      } catch (error) {
        // A node down or a leader election: the cluster answers again within seconds.
        if (Date.now() > deadline)
          throw new AppError(
            'STREAM_SOURCE',
            `no acknowledgement from stream ${SIGNALLING_STREAM} for ${partitionSubject(partition)}: ${(error as Error).message}`,
            { cause: error, hint: 'check that a majority of the NATS nodes runs' },
          );
        summary.retries++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };

  const send = async (partition: number) => {
    const lines = buffers[partition]!;
    if (lines.length === 0) return;
    buffers[partition] = [];
    const msgID = `${runId}:${partition}:${sequence[partition]!++}`;
    const body = lines.join('\n');
    if (inFlight[partition]! >= IN_FLIGHT_PER_PARTITION) await chains[partition];
    inFlight[partition]!++;
    chains[partition] = chains[partition]!.then(async () => {
      try {
        if (failure) return;
        await publishOne(partition, body, msgID);
        summary.messages++;
        summary.events += lines.length;
      } catch (error) {
        failure ??= error as Error;
      } finally {
        inFlight[partition]!--;
      }
    });
  };

  return {
    async add(line, msisdn) {
      if (failure) throw failure;
      const partition = partitionOf(msisdn, options.partitions);
      buffers[partition]!.push(line);
      if (buffers[partition]!.length >= batchEvents) await send(partition);
    },
    async close() {
      try {
        for (let p = 0; p < options.partitions; p++) await send(p);
        await Promise.all(chains);
        if (failure) throw failure;
        return summary;
      } finally {
        await drain(connection);
      }
    },
  };
}

async function drain(connection: NatsConnection): Promise<void> {
  await connection.drain().catch(() => connection.close());
}

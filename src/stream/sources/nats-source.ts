// A NATS JetStream subject read through a durable pull consumer. The stream sequence is the position;
// acknowledgement is "all" and only happens once the engine has snapshotted past a message, so after a
// crash the server redelivers from the last snapshot and the engine skips what its state already holds.
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { SourceLine, StreamSource } from './stream-source.ts';

export interface NatsTarget {
  servers: string;
  subject: string;
  stream: string;
  durable: string;
}

/** `nats://127.0.0.1:4222/signalling.heyuan?stream=SIGNALLING&durable=telmark` */
export function parseNatsUrl(url: string): NatsTarget {
  const parsed = new URL(url);
  const subject = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'signalling';
  return {
    servers: `${parsed.hostname}:${parsed.port || '4222'}`,
    subject,
    stream: parsed.searchParams.get('stream') ?? 'SIGNALLING',
    durable: parsed.searchParams.get('durable') ?? 'telmark-stream',
  };
}

/** Creates the JetStream stream for the subject when it does not exist yet. */
export async function ensureNatsStream(connection: NatsConnection, target: NatsTarget): Promise<void> {
  const manager = await jetstreamManager(connection);
  try {
    await manager.streams.info(target.stream);
  } catch {
    await manager.streams.add({ name: target.stream, subjects: [target.subject] });
  }
}

export async function connectNats(servers: string): Promise<NatsConnection> {
  try {
    return await connect({ servers, timeout: 5000 });
  } catch (error) {
    throw new AppError('STREAM_SOURCE', `cannot connect to NATS at ${servers}: ${(error as Error).message}`, {
      cause: error,
      hint: 'start nats-server with -js, or check the host and port',
    });
  }
}

export function natsSource(options: { url: string; clock: Clock; batchSize?: number }): StreamSource {
  const target = parseNatsUrl(options.url);
  let connection: NatsConnection | undefined;
  let closed = false;
  let stop: (() => void) | undefined;
  const delivered: JsMsg[] = [];
  return {
    description: `nats ${target.servers} ${target.subject} (stream ${target.stream}, durable ${target.durable})`,
    async *batches(from: number) {
      connection = await connectNats(target.servers);
      await ensureNatsStream(connection, target);
      const manager = await jetstreamManager(connection);
      try {
        await manager.consumers.info(target.stream, target.durable);
      } catch {
        await manager.consumers.add(target.stream, {
          durable_name: target.durable,
          ack_policy: AckPolicy.All,
          deliver_policy: from >= 0 ? DeliverPolicy.StartSequence : DeliverPolicy.All,
          ...(from >= 0 ? { opt_start_seq: from + 1 } : {}),
          ack_wait: 60_000_000_000,
          max_ack_pending: 200_000,
          filter_subject: target.subject,
        });
      }
      const consumer = await jetstream(connection).consumers.get(target.stream, target.durable);
      const messages = await consumer.consume({ max_messages: options.batchSize ?? 1000 });
      stop = () => messages.stop();
      let batch: SourceLine[] = [];
      for await (const message of messages) {
        if (closed) break;
        delivered.push(message);
        if (delivered.length > 4096) delivered.splice(0, delivered.length - 4096);
        batch.push({ text: message.string(), position: message.seq, arrivedAtMs: options.clock.nowMs() });
        if (batch.length >= 256 || message.info.pending === 0) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async commit(position: number) {
      // Ack-all: acknowledging the newest delivered message at or before the position covers the rest.
      for (let i = delivered.length - 1; i >= 0; i--) {
        const message = delivered[i]!;
        if (message.seq <= position) {
          await message.ackAck().catch(() => false);
          delivered.splice(0, i + 1);
          return;
        }
      }
    },
    async close() {
      closed = true;
      stop?.();
      await connection?.drain().catch(() => undefined);
    },
  };
}

/** Publishes lines to a subject (used by `telmark replay --to nats://...`). */
export async function natsPublisher(
  url: string,
): Promise<{ publish(line: string): Promise<void>; close(): Promise<void> }> {
  const target = parseNatsUrl(url);
  const connection = await connectNats(target.servers);
  await ensureNatsStream(connection, target);
  const js = jetstream(connection);
  return {
    async publish(line: string) {
      await js.publish(target.subject, line);
    },
    async close() {
      await connection.drain();
    },
  };
}

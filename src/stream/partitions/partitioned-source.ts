// A worker's share of the partitioned signalling stream: one durable pull consumer per owned partition
// (`telmark-sig-<p>`, ack-all), read side by side. Each partition is a lane with its own positions:
// line i of the message at stream sequence s is at s·2^20 + i, and a message's last line at the top of
// its range, so a lane position says which messages are done completely.
//
// Nothing is acknowledged before the engine's snapshot covers it (run-stream: flush → snapshot → ack).
// The snapshot, not the server, says where a lane resumes: at start every consumer is created afresh
// from the snapshot's position, so a worker replacing a killed one gets at once, and in order, what the
// killed one had read but not snapshotted (the server would otherwise hold those back until their ack
// wait ran out and send newer messages first). The same happens when a delivery goes missing (its
// delivery sequence skips, e.g. when the node it came through dies) or the consumer falls silent: the
// lane's consumer is created again from the newest message acknowledged, never from what is merely
// queued. Messages already queued come again and are held for acknowledgement but not queued twice, so
// the server still counts them as pending until a snapshot covers them: starting the new consumer after
// the queued ones would tell the server they were done while the engine had not yet seen them (a worker
// stopped then lost them, and "every consumer acknowledged" no longer meant "every event processed").
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  type JetStreamClient,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { SourceLine, StreamSource } from '../sources/stream-source.ts';
import { partitionSubject, SIGNALLING_STREAM, type WorkerSlot, workerPartitions } from './partition-of.ts';
import { connectCluster, ensureSignallingStream, retrying } from './signalling-stream.ts';

export interface PartitionedSourceOptions {
  servers: readonly string[];
  partitions: number;
  worker: WorkerSlot;
  clock: Clock;
  replicas?: number;
  /** Consumer names are `<prefix>-<partition>` (default `telmark-sig`). */
  durablePrefix?: string;
  /** The server redelivers what is not acknowledged within this (default 30 s; acks follow snapshots). */
  ackWaitMs?: number;
  note?: (text: string) => void;
}

const LINE_SLOTS = 2 ** 20;
const MAX_QUEUED_BATCHES = 256;

export function linePosition(sequence: number, index: number, count: number): number {
  return sequence * LINE_SLOTS + (index === count - 1 ? LINE_SLOTS - 1 : index);
}

/** The newest stream sequence whose message a lane position covers completely (0: none). */
export function doneThrough(position: number): number {
  return Math.max(0, Math.floor((position + 1) / LINE_SLOTS) - 1);
}

interface Lane {
  partition: number;
  /** Newest stream sequence queued for the engine: later deliveries up to it are not queued again. */
  queuedThrough: number;
  /** Newest stream sequence acknowledged (or covered by the snapshot at start): a new consumer starts after it. */
  ackedThrough: number;
  /** Messages of the current consumer delivered and not yet acknowledged, oldest first, each sequence once. */
  delivered: JsMsg[];
  /** An acknowledgement on its way: a new consumer of the same name must not receive it (see recreateConsumer). */
  acking?: Promise<unknown>;
  /** Set while the consumer is being replaced: no acknowledgement is sent meanwhile. */
  replacing: boolean;
  stop?: () => void;
  resets: number;
}

export function partitionedNatsSource(options: PartitionedSourceOptions): StreamSource & { resets(): number } {
  const owned = workerPartitions(options.worker, options.partitions);
  const prefix = options.durablePrefix ?? 'telmark-sig';
  const note = options.note ?? (() => undefined);
  const lanes = new Map<number, Lane>();
  const queue: SourceLine[][] = [];
  let wake: (() => void) | undefined;
  let spaceWaiters: (() => void)[] = [];
  let connection: NatsConnection | undefined;
  let closed = false;

  const durable = (partition: number) => `${prefix}-${partition}`;
  const disconnect = async () => {
    const open = connection;
    connection = undefined;
    await open?.close().catch(() => undefined);
  };
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const releaseSpace = () => {
    const waiters = spaceWaiters;
    spaceWaiters = [];
    for (const w of waiters) w();
  };

  /** Deletes the lane's consumer and creates it again to deliver from the message after `ackedThrough`. */
  const recreateConsumer = async (manager: JetStreamManager, lane: Lane) => {
    const name = durable(lane.partition);
    // An ack is addressed by consumer name: one sent to the old consumer and arriving after the new one
    // of the same name exists would move the new one's floors by the old delivery numbers.
    lane.replacing = true;
    await lane.acking;
    lane.delivered = [];
    await retrying(
      () =>
        manager.consumers.delete(SIGNALLING_STREAM, name).catch((error: Error) => {
          if (!/not found/i.test(error.message)) throw error;
          return false;
        }),
      `delete consumer ${name}`,
    );
    const start = lane.ackedThrough + 1;
    await retrying(
      () =>
        manager.consumers.add(SIGNALLING_STREAM, {
          durable_name: name,
          filter_subject: partitionSubject(lane.partition),
          ack_policy: AckPolicy.All,
          ...(start > 1
            ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start }
            : { deliver_policy: DeliverPolicy.All }),
          ack_wait: (options.ackWaitMs ?? 30_000) * 1_000_000,
          max_ack_pending: 20_000,
        }),
      `create consumer ${name}`,
    );
    lane.replacing = false;
  };

  const pump = async (manager: JetStreamManager, js: JetStreamClient, lane: Lane) => {
    while (!closed) {
      try {
        await recreateConsumer(manager, lane);
        const consumer = await js.consumers.get(SIGNALLING_STREAM, durable(lane.partition));
        const messages = await consumer.consume({ max_messages: 64, expires: 2000 });
        lane.stop = () => messages.stop();
        watchConsumer(messages, (reason) => {
          note(`partition ${lane.partition}: ${reason}, ${readingAgain(lane)}`);
          messages.stop();
        });
        let lastDelivery = 0;
        for await (const message of messages) {
          if (closed) break;
          const info = message.info;
          if (info.deliverySequence !== lastDelivery + 1) {
            note(
              `partition ${lane.partition}: delivery ${info.deliverySequence} after ${lastDelivery}, ${readingAgain(lane)}`,
            );
            break;
          }
          lastDelivery = info.deliverySequence;
          // Held once per sequence (a redelivery after the ack wait is not held again), in order.
          const newestHeld = lane.delivered.at(-1)?.seq ?? lane.ackedThrough;
          if (message.seq > newestHeld) lane.delivered.push(message);
          if (message.seq <= lane.queuedThrough) continue;
          queue.push(linesOf(message, lane.partition, options.clock.nowMs()));
          lane.queuedThrough = message.seq;
          notify();
          while (queue.length >= MAX_QUEUED_BATCHES && !closed)
            await new Promise<void>((resolve) => spaceWaiters.push(resolve));
        }
        messages.stop();
      } catch (error) {
        if (closed) return;
        note(`partition ${lane.partition}: ${(error as Error).message}; reading again`);
      }
      if (closed) return;
      lane.resets++;
      await sleep(250);
    }
  };

  return {
    description: `nats ${options.servers.join(',')} stream ${SIGNALLING_STREAM}, partitions ${owned.join(',')} of ${options.partitions} (worker ${options.worker.index}/${options.worker.count})`,
    async *batches(_from: number, startLanes?: ReadonlyMap<number, number>) {
      if (owned.length === 0)
        throw new AppError(
          'USAGE',
          `worker ${options.worker.index}/${options.worker.count} owns no partition of ${options.partitions}`,
          { hint: 'run no more workers than partitions' },
        );
      connection = await connectCluster(options.servers);
      const manager = await ensureSignallingStream(connection, {
        partitions: options.partitions,
        replicas: options.replicas,
      });
      const js = jetstream(connection);
      for (const partition of owned) {
        const position = startLanes?.get(partition);
        // Without a snapshot the consumer's acknowledged floor (a durable's memory) is where to go on; a
        // missing consumer means from the start, but a timeout must not (it would read everything again).
        const queuedThrough =
          position === undefined
            ? ((
                await retrying(
                  () =>
                    manager.consumers.info(SIGNALLING_STREAM, durable(partition)).catch((error: Error) => {
                      if (/not found/i.test(error.message)) return undefined;
                      throw error;
                    }),
                  `read consumer ${durable(partition)}`,
                )
              )?.ack_floor.stream_seq ?? 0)
            : doneThrough(position);
        lanes.set(partition, {
          partition,
          queuedThrough,
          ackedThrough: queuedThrough,
          delivered: [],
          replacing: false,
          resets: 0,
        });
      }
      const pumps = [...lanes.values()].map((lane) => pump(manager, js, lane));
      try {
        while (!closed) {
          const batch = queue.shift();
          if (batch) {
            releaseSpace();
            yield batch;
          } else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        closed = true;
        for (const lane of lanes.values()) lane.stop?.();
        releaseSpace();
        await Promise.allSettled(pumps);
      }
    },
    async commit(_position: number, done?: ReadonlyMap<number, number>) {
      await Promise.all(
        [...lanes.values()].map(async (lane) => {
          const position = done?.get(lane.partition);
          if (position === undefined || lane.replacing || lane.acking) return;
          const through = doneThrough(position);
          const delivered = lane.delivered;
          let newest = -1;
          for (let i = 0; i < delivered.length && delivered[i]!.seq <= through; i++) newest = i;
          if (newest < 0) return;
          // Ack-all: the newest message covered acknowledges the lane up to it. A failed ack (a node down)
          // is tried again at the next checkpoint; until then the server only keeps the messages longer.
          const message = delivered[newest]!;
          const acking = message.ackAck({ timeout: 5000 }).catch(() => false);
          lane.acking = acking;
          const acked = await acking;
          lane.acking = undefined;
          if (!acked) return;
          lane.ackedThrough = Math.max(lane.ackedThrough, message.seq);
          if (lane.delivered === delivered) delivered.splice(0, newest + 1);
        }),
      );
      if (closed) await disconnect();
    },
    async close() {
      closed = true;
      for (const lane of lanes.values()) lane.stop?.();
      releaseSpace();
      notify();
      // The stream's last checkpoint comes after this (run-stream ends its loop, flushes, snapshots and
      // commits): the connection stays open for that commit, and closes after it or after a grace time.
      const timer = setTimeout(() => void disconnect(), 30_000);
      timer.unref();
    },
    resets: () => [...lanes.values()].reduce((sum, lane) => sum + lane.resets, 0),
  };
}

function readingAgain(lane: Lane): string {
  return `reading again after stream sequence ${lane.ackedThrough} (acknowledged; queued through ${lane.queuedThrough})`;
}

/**
 * Ends the reading when its consumer is gone (deleted, lost with its nodes) or silent for several
 * heartbeats: the client would otherwise wait on it for good, and the lane starts again instead.
 */
function watchConsumer(messages: ConsumerMessages, stop: (reason: string) => void): void {
  void (async () => {
    for await (const status of messages.status()) {
      if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found')
        return stop(`consumer gone (${status.type})`);
      if (status.type === 'stream_not_found') return stop('stream not found');
      if (status.type === 'heartbeats_missed' && status.count >= 3) return stop(`${status.count} heartbeats missed`);
    }
  })().catch(() => undefined);
}

function linesOf(message: JsMsg, partition: number, arrivedAtMs: number): SourceLine[] {
  const texts = message.string().split('\n');
  if (texts.length >= LINE_SLOTS)
    throw new AppError(
      'INPUT_INVALID',
      `message ${message.seq} holds ${texts.length} lines, more than ${LINE_SLOTS - 1}`,
      {
        hint: 'publish fewer events per message (telmark replay --batch)',
      },
    );
  return texts.map((text, index) => ({
    text,
    position: linePosition(message.seq, index, texts.length),
    arrivedAtMs,
    lane: partition,
  }));
}

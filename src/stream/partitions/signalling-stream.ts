// The JetStream stream that carries signalling to the workers: one subject per partition (`sig.<p>`),
// replicated (3 ways on a cluster), with a duplicate window so a publish retried after a node failure
// is stored once. Publisher and workers both make sure it exists; a stream with another partition
// count is an error, not something to adapt to silently (events would go to partitions nobody reads).
import { type JetStreamManager, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AppError } from '../../shared/errors.ts';
import { partitionSubject, SIGNALLING_STREAM } from './partition-of.ts';

export interface SignallingStreamOptions {
  partitions: number;
  /** Copies of every message (3 on a cluster of three; 1 on a single server). */
  replicas?: number;
  stream?: string;
}

const DUPLICATE_WINDOW_NS = 10 * 60 * 1_000_000_000;

/** One connection over every given server, reconnecting without end (a node may die under us). */
export async function connectCluster(servers: readonly string[]): Promise<NatsConnection> {
  try {
    return await connect({
      servers: [...servers],
      timeout: 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
  } catch (error) {
    throw new AppError('STREAM_SOURCE', `cannot connect to NATS at ${servers.join(',')}: ${(error as Error).message}`, {
      cause: error,
      hint: 'start the cluster (telmark cluster up) or check --nats',
    });
  }
}

export async function ensureSignallingStream(
  connection: NatsConnection,
  options: SignallingStreamOptions,
): Promise<JetStreamManager> {
  const name = options.stream ?? SIGNALLING_STREAM;
  const subjects = Array.from({ length: options.partitions }, (_, p) => partitionSubject(p));
  // No separate probe of the API: the stream's own requests below are asked again until they are answered.
  const manager = await jetstreamManager(connection, { checkAPI: false });
  // A starved or electing cluster answers late: a timeout is asked again, "not found" is an answer.
  const existing = await retrying(
    () =>
      manager.streams.info(name).catch((error: Error) => {
        if (/not found/i.test(error.message)) return undefined;
        throw error;
      }),
    `read stream ${name}`,
  );
  if (existing) {
    const held = existing.config.subjects ?? [];
    if (held.length !== subjects.length || subjects.some((s) => !held.includes(s)))
      throw new AppError(
        'USAGE',
        `stream ${name} has ${held.length} partition subjects, not the ${options.partitions} asked for`,
        { hint: `give --partitions ${held.length}, or delete the stream to change the partition count` },
      );
    return manager;
  }
  await retrying(
    () =>
      manager.streams.add({
        name,
        subjects,
        num_replicas: options.replicas ?? 3,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        duplicate_window: DUPLICATE_WINDOW_NS,
      }),
    `create stream ${name}`,
  ).catch((error: Error) => {
    // Created by a worker or publisher starting at the same moment.
    if (/already in use/i.test(error.message)) return;
    if (/insufficient resources|not supported in non-clustered/i.test(error.message))
      throw new AppError('STREAM_SOURCE', `cannot create stream ${name} with ${options.replicas ?? 3} replicas`, {
        cause: error,
        hint: 'a single nats-server holds one copy: give --replicas 1, or start 3 nodes (telmark cluster up)',
      });
    throw error;
  });
  return manager;
}

/** Retries while the cluster elects leaders (a few seconds after a node died), then gives up with the reason. */
export async function retrying<T>(work: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const message = (error as Error).message;
      // Errors about the request itself do not go away by asking again.
      if (
        /already in use|not found|not supported|insufficient resources|invalid/i.test(message) ||
        Date.now() > deadline
      )
        throw error instanceof AppError
          ? error
          : new AppError('STREAM_SOURCE', `cannot ${what}: ${message}`, {
              cause: error,
              hint: 'check that the NATS cluster runs with JetStream (telmark cluster up)',
            });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

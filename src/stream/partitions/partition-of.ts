// Which partition of the signalling stream a subscriber's events go to, and which partitions a worker
// owns. The hash is stable across machines and runs, so a subscriber's events always land in one
// partition, in order, and one worker keeps that subscriber's state.
import { AppError } from '../../shared/errors.ts';
import { hashFraction } from '../../shared/hash-fraction.ts';

export const SIGNALLING_STREAM = 'SIG';
export const DEFAULT_PARTITIONS = 8;

export function partitionOf(msisdn: string, partitions: number): number {
  return Math.floor(hashFraction(msisdn) * partitions);
}

export function partitionSubject(partition: number): string {
  return `sig.${partition}`;
}

export interface WorkerSlot {
  index: number;
  count: number;
}

/** `--worker 1/3`: the second of three workers. */
export function parseWorkerSlot(text: string): WorkerSlot {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(count >= 1) || !(index < count))
    throw new AppError('USAGE', `--worker must be i/N with 0 ≤ i < N (e.g. 0/2), not "${text}"`);
  return { index, count };
}

/** Worker i of N owns the partitions p with p mod N = i. */
export function workerPartitions(worker: WorkerSlot, partitions: number): number[] {
  const owned: number[] = [];
  for (let p = worker.index; p < partitions; p += worker.count) owned.push(p);
  return owned;
}

export function checkPartitionCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024)
    throw new AppError('USAGE', `--partitions must be a whole number from 1 to 1024, not ${partitions}`);
}

/** `--nats nats://a:4222,nats://b:4222` (or `a:4222,b:4222`): the servers of one cluster. */
export function parseNatsServers(text: string): string[] {
  const servers = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (servers.length === 0) throw new AppError('USAGE', '--nats needs at least one server, e.g. nats://127.0.0.1:4222');
  for (const server of servers)
    if (!/^(nats:\/\/)?[\w.-]+:\d+$/.test(server))
      throw new AppError('USAGE', `--nats: "${server}" is not a server address`, {
        hint: 'give nats://HOST:PORT,… as printed by telmark cluster up --format json',
      });
  return servers;
}

// Where `telmark replay` sends lines: a file (appended, for a following `telmark stream`), stdout,
// a TCP listener, or a NATS JetStream subject.
import { appendFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { AppError } from '../../shared/errors.ts';
import { openSignallingPublisher, type SignallingPublisherOptions } from '../partitions/signalling-publisher.ts';
import type { PublishSummary } from '../partitions/signalling-publisher.ts';
import { natsPublisher } from '../sources/nats-source.ts';
import type { ReplayTarget } from './replay-signalling.ts';

export async function openReplayTarget(spec: string): Promise<ReplayTarget> {
  if (spec === '-' || spec === 'stdout') {
    return {
      write: (line) => {
        process.stdout.write(`${line}\n`);
      },
      close: async () => undefined,
    };
  }
  if (spec.startsWith('tcp://')) return tcpTarget(spec);
  if (spec.startsWith('nats://')) {
    const publisher = await natsPublisher(spec);
    return { write: (line) => publisher.publish(line), close: () => publisher.close() };
  }
  const path = spec.startsWith('file:') ? spec.slice(5) : spec;
  writeFileSync(path, '', { flag: 'a' });
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length > 0) appendFileSync(path, `${buffer.join('\n')}\n`);
    buffer = [];
  };
  const timer = setInterval(flush, 200);
  return {
    write: (line) => {
      buffer.push(line);
      if (buffer.length >= 1000) flush();
    },
    close: async () => {
      clearInterval(timer);
      flush();
    },
  };
}

/** The partitioned signalling stream of a NATS cluster (`telmark replay --nats`): events batched per partition. */
export async function openPartitionedTarget(
  options: SignallingPublisherOptions,
): Promise<ReplayTarget & { published(): PublishSummary | undefined }> {
  const publisher = await openSignallingPublisher(options);
  let summary: PublishSummary | undefined;
  return {
    write: (line, msisdn) => publisher.add(line, msisdn),
    close: async () => {
      summary = await publisher.close();
    },
    published: () => summary,
  };
}

async function tcpTarget(spec: string): Promise<ReplayTarget> {
  const url = new URL(spec);
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(Number(url.port), url.hostname, () => resolve(s));
    s.once('error', (error) =>
      reject(
        new AppError('STREAM_SOURCE', `cannot connect to ${spec}: ${error.message}`, {
          hint: 'start `telmark stream --source tcp://...` first',
        }),
      ),
    );
  });
  return {
    write: (line) =>
      new Promise<void>((resolve) => {
        if (socket.write(`${line}\n`)) resolve();
        else socket.once('drain', resolve);
      }),
    close: () => new Promise<void>((resolve) => socket.end(resolve)),
  };
}

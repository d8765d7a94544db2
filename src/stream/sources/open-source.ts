// Picks a source from its spec: a path or file:PATH, - or stdin, tcp://HOST:PORT, nats://HOST:PORT/SUBJECT.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { fileSource } from './file-source.ts';
import { natsSource } from './nats-source.ts';
import { stdinSource } from './readable-source.ts';
import type { StreamSource } from './stream-source.ts';
import { tcpSource } from './tcp-source.ts';

export function openSource(spec: string, options: { clock: Clock; follow?: boolean }): StreamSource {
  if (spec === '-' || spec === 'stdin') return stdinSource(options.clock);
  if (spec.startsWith('tcp://')) {
    const url = new URL(spec);
    if (!url.port) throw new AppError('USAGE', `--source ${spec}: give a port, e.g. tcp://127.0.0.1:7070`);
    return tcpSource({ host: url.hostname, port: Number(url.port), clock: options.clock });
  }
  if (spec.startsWith('nats://')) return natsSource({ url: spec, clock: options.clock });
  if (/^[a-z]+:\/\//.test(spec))
    throw new AppError('USAGE', `--source ${spec}: unknown scheme`, {
      hint: 'use a file path, -, tcp://HOST:PORT or nats://HOST:PORT/SUBJECT',
    });
  const path = spec.startsWith('file:') ? spec.slice(5) : spec;
  return fileSource({ path, follow: options.follow ?? false, clock: options.clock });
}

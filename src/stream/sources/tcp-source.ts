// Listens on a TCP port; every connection sends stream lines (e.g. a signalling probe or `telmark replay`).
// Lines of all connections are merged in arrival order.
import { createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { LineSplitter } from './line-splitter.ts';
import type { SourceLine, StreamSource } from './stream-source.ts';

export interface TcpSource extends StreamSource {
  /** Resolves with the bound port once listening. */
  listening: Promise<number>;
}

export function tcpSource(options: { host: string; port: number; clock: Clock }): TcpSource {
  const queue: SourceLine[][] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const splitter = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      const now = options.clock.nowMs();
      const lines = splitter.push(chunk);
      if (lines.length > 0) queue.push(lines.map((l) => ({ text: l.text, position: -1, arrivedAtMs: now })));
      wake?.();
    });
    socket.on('close', () => {
      const last = splitter.end();
      if (last) queue.push([{ text: last.text, position: -1, arrivedAtMs: options.clock.nowMs() }]);
      sockets.delete(socket);
      wake?.();
    });
    socket.on('error', () => socket.destroy());
  });
  const listening = new Promise<number>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new AppError('STREAM_SOURCE', `cannot listen on ${options.host}:${options.port}: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : options.port);
    });
  });
  return {
    description: `tcp ${options.host}:${options.port}`,
    listening,
    async *batches() {
      await listening;
      while (!closed) {
        const batch = queue.shift();
        if (batch) {
          yield batch;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async close() {
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      wake?.();
    },
  };
}

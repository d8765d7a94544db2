// A file of stream lines, read from a byte offset; with `follow`, waits for the file to grow (tail -f).
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { LineSplitter } from './line-splitter.ts';
import type { SourceLine, StreamSource } from './stream-source.ts';

export interface FileSourceOptions {
  path: string;
  follow?: boolean;
  clock: Clock;
  /** Poll interval when following, in ms. */
  pollMs?: number;
  chunkBytes?: number;
}

export function fileSource(options: FileSourceOptions): StreamSource {
  let closed = false;
  return {
    description: `file ${options.path}${options.follow ? ' (following)' : ''}`,
    async *batches(from: number) {
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(options.path, 'r');
      } catch (error) {
        throw new AppError('STREAM_SOURCE', `cannot open ${options.path}: ${(error as Error).message}`, {
          location: { file: options.path },
          cause: error,
        });
      }
      try {
        let offset = Math.max(0, from);
        const splitter = new LineSplitter(offset);
        const buffer = Buffer.alloc(options.chunkBytes ?? 1 << 20);
        while (!closed) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          if (bytesRead === 0) {
            if (!options.follow) break;
            await sleep(options.pollMs ?? 200);
            continue;
          }
          offset += bytesRead;
          const now = options.clock.nowMs();
          const batch: SourceLine[] = splitter
            .push(Buffer.from(buffer.subarray(0, bytesRead)))
            .map((l) => ({ text: l.text, position: l.end, arrivedAtMs: now }));
          if (batch.length > 0) yield batch;
        }
        const last = splitter.end();
        if (last && !options.follow)
          yield [{ text: last.text, position: last.end, arrivedAtMs: options.clock.nowMs() }];
      } finally {
        await handle.close();
      }
    },
    async close() {
      closed = true;
    },
  };
}

// Lines from any byte stream (stdin, a socket): not resumable, so positions are -1.
import type { Readable } from 'node:stream';
import type { Clock } from '../../shared/clock.ts';
import { LineSplitter } from './line-splitter.ts';
import type { SourceLine, StreamSource } from './stream-source.ts';

export async function* readableBatches(input: Readable, clock: Clock): AsyncGenerator<SourceLine[]> {
  const splitter = new LineSplitter();
  for await (const chunk of input) {
    const now = clock.nowMs();
    const lines = splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    if (lines.length > 0) yield lines.map((l) => ({ text: l.text, position: -1, arrivedAtMs: now }));
  }
  const last = splitter.end();
  if (last) yield [{ text: last.text, position: -1, arrivedAtMs: clock.nowMs() }];
}

export function stdinSource(clock: Clock, input: Readable = process.stdin): StreamSource {
  return {
    description: 'stdin',
    batches: () => readableBatches(input, clock),
    async close() {
      input.destroy();
    },
  };
}

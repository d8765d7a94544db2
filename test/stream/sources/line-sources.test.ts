import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { systemClock } from '../../../src/shared/clock.ts';
import { fileSource } from '../../../src/stream/sources/file-source.ts';
import { stdinSource } from '../../../src/stream/sources/readable-source.ts';
import type { SourceLine, StreamSource } from '../../../src/stream/sources/stream-source.ts';
import { tcpSource } from '../../../src/stream/sources/tcp-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function take(source: StreamSource, count: number, from = -1): Promise<SourceLine[]> {
  const lines: SourceLine[] = [];
  for await (const batch of source.batches(from)) {
    lines.push(...batch);
    if (lines.length >= count) break;
  }
  return lines;
}

describe('line sources', () => {
  it('reads a file from a byte offset, so a restart resumes after the last line processed', async () => {
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, '第一\nsecond\nthird');
    const all = await take(fileSource({ path, clock: systemClock }), 3);
    assert.deepEqual(
      all.map((l) => [l.text, l.position]),
      [
        ['第一', 7],
        ['second', 14],
        ['third', 19],
      ],
    );
    const rest = await take(fileSource({ path, clock: systemClock }), 2, 7);
    assert.deepEqual(
      rest.map((l) => l.text),
      ['second', 'third'],
    );
  });

  it('follows a growing file and waits for the end of a half-written line', async () => {
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, 'one\ntw');
    const source = fileSource({ path, follow: true, clock: systemClock, pollMs: 20 });
    const reading = take(source, 3);
    setTimeout(() => appendFileSync(path, 'o\nthree\n'), 80);
    const lines = await reading;
    await source.close();
    assert.deepEqual(
      lines.map((l) => l.text),
      ['one', 'two', 'three'],
    );
  });

  it('reads stdin and keeps multi-byte characters split across chunks whole', async () => {
    const input = new PassThrough();
    const reading = take(stdinSource(systemClock, input), 2);
    const bytes = Buffer.from('火车站\n大学城\n');
    input.write(bytes.subarray(0, 4));
    input.end(bytes.subarray(4));
    assert.deepEqual(
      (await reading).map((l) => [l.text, l.position]),
      [
        ['火车站', -1],
        ['大学城', -1],
      ],
    );
  });

  it('listens on TCP and merges the lines of its connections', async () => {
    const source = tcpSource({ host: '127.0.0.1', port: 0, clock: systemClock });
    const port = await source.listening;
    const reading = take(source, 3);
    for (const text of ['a1\na2\n', 'b1\n']) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(text, () => resolve()));
      });
    }
    const lines = await reading;
    await source.close();
    assert.deepEqual(lines.map((l) => l.text).sort(), ['a1', 'a2', 'b1']);
  });
});

// The byte pass before DuckDB reads a file judges UTF-8 chunk by chunk: wherever the chunks are cut
// (inside a character too), it must say what one check of the whole file says.
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { describe, test } from 'node:test';
import { createSeededRandom } from '../../src/shared/seeded-random.ts';
import { LineCounter } from '../../src/warehouse/load/inspect-file.ts';

/** Text of CSV-like lines with Chinese, 4-byte characters and, when asked, a few broken bytes. */
function sampleBytes(seed: number, broken: boolean): Buffer {
  const random = createSeededRandom(seed);
  const pieces: Buffer[] = [Buffer.from('ts,msisdn,name\n')];
  const words = ['河源', '火车站', 'abc', '😀', 'é', '13800138000', ','];
  for (let line = 0; line < 40; line++) {
    const parts = Array.from({ length: 1 + random.int(6) }, () => words[random.int(words.length)]!);
    pieces.push(Buffer.from(`${parts.join('')}\n`));
    if (broken && random.next() < 0.1) {
      // A lone continuation byte, a lead byte without its continuation, or a GBK pair.
      pieces.push(Buffer.from([[0x80], [0xe6, 0x41], [0xba, 0xd3]][random.int(3)]!));
    }
  }
  return Buffer.concat(pieces);
}

function countInChunks(bytes: Buffer, cuts: number[]): LineCounter {
  const counter = new LineCounter();
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    counter.feed(bytes.subarray(from, cut));
    from = cut;
  }
  counter.finish();
  return counter;
}

describe('UTF-8 check of the byte pass', () => {
  test('agrees with a check of the whole file however the chunks are cut, one byte apart included', () => {
    let validSeen = 0;
    let invalidSeen = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const bytes = sampleBytes(seed, seed % 2 === 0);
      const random = createSeededRandom(seed * 31);
      const cuts: number[] = [];
      // Cuts every 1–7 bytes, so every position inside a character is cut somewhere.
      for (let at = 1 + random.int(7); at < bytes.length; at += 1 + random.int(7)) cuts.push(at);
      const whole = isUtf8(bytes);
      assert.equal(countInChunks(bytes, cuts).validUtf8, whole, `seed ${seed}`);
      assert.equal(countInChunks(bytes, []).validUtf8, whole, `seed ${seed}, one chunk`);
      if (whole) validSeen++;
      else invalidSeen++;
    }
    assert.ok(validSeen > 10 && invalidSeen > 10, `${validSeen} valid, ${invalidSeen} invalid samples`);
  });

  test('a character cut at the very end of the file is invalid; four continuation bytes in a row are too', () => {
    const cut = Buffer.from('a,b\n河源', 'utf8').subarray(0, -1);
    assert.equal(countInChunks(cut, [5]).validUtf8, false);
    const long = Buffer.concat([Buffer.from('a,b\nx'), Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0x80]), Buffer.from('\n')]);
    assert.equal(isUtf8(long), false);
    assert.equal(countInChunks(long, [6, 7, 8, 9, 10]).validUtf8, false);
    assert.equal(countInChunks(long, [9]).validUtf8, false);
  });

  test('lines are still counted across the cuts', () => {
    const bytes = sampleBytes(3, false);
    assert.equal(countInChunks(bytes, [1, 2, 50, 51, 200]).dataLines, 40);
  });
});

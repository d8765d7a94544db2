import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanRecords } from '../../src/warehouse/load/record-scanner.ts';

const text = 'a,b,c\r\n1,2,3\r\n\r\n4,5\r\n"x\n\ny",2,3\n6,7,8,9\n10,"1""1",12';

async function* chunks(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

describe('record scanner', () => {
  for (const size of [1, 2, 3, 7, 4096]) {
    test(`finds records, their physical lines and raw text in chunks of ${size} bytes`, async () => {
      const result = await scanRecords(chunks(Buffer.from(text), size), [1, 2, 4]);
      assert.equal(result.records, 5);
      assert.deepEqual(result.found, [
        { index: 1, line: 4, raw: '4,5' },
        { index: 2, line: 5, raw: '"x\n\ny",2,3' },
        { index: 4, line: 9, raw: '10,"1""1",12' },
      ]);
    });
  }

  test('skips a byte-order mark and a trailing blank line', async () => {
    const result = await scanRecords(chunks(Buffer.from('\uFEFFa,b\n1,2\n\n'), 3), [0]);
    assert.deepEqual(result, { records: 1, found: [{ index: 0, line: 2, raw: '1,2' }] });
  });
});

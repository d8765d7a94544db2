// The slow path's own CSV reader: physical lines, quoted newlines, and a stray quote that costs only
// its own line, whatever the chunk boundaries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CsvRecord, readCsvRecords } from '../../src/warehouse/load/csv-records.ts';

async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size: number, splitLines?: Set<number>): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsvRecords(chunks(text, size), { columns: 3, ...(splitLines ? { splitLines } : {}) }))
    out.push(r);
  return out;
}

const brief = (records: CsvRecord[]) => records.map((r) => `${r.line}${r.strayQuote ? '!' : ''}:${r.fields.join('|')}`);

describe('csv records', () => {
  for (const size of [1, 2, 5, 4096]) {
    test(`a legal quoted newline is one record, a stray quote costs its line (chunks of ${size})`, async () => {
      const text = 'a,b,c\n1,"x\ny",3\n4,"5,6\n7,8,9\n"10,11,12\n13,14,15\n';
      assert.deepEqual(brief(await read(text, size)), ['1:a|b|c', '2:1|x\ny|3', '4!:', '5:7|8|9', '6!:', '7:13|14|15']);
    });

    test(`a multi-line record that fits in fields is cut where told to (chunks of ${size})`, async () => {
      const text = 'a,b,c\n1,"2,3\n4,"5,6\n7,8,9\n';
      assert.deepEqual(brief(await read(text, size)), ['1:a|b|c', '2:1|2,3\n4,5|6', '4:7|8|9']);
      assert.deepEqual(brief(await read(text, size, new Set([2]))), ['1:a|b|c', '2!:', '3!:', '4:7|8|9']);
    });
  }

  test('a quoted field still open after a mebibyte is taken as stray without reading to the end', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},${'x'.repeat(20)},y`).join('\n');
    const text = `a,b,c\n1,"2,3\n${rows}\n`;
    let pulled = 0;
    async function* counted() {
      for await (const chunk of chunks(text, 65_536)) {
        pulled++;
        yield chunk;
      }
    }
    const records: CsvRecord[] = [];
    let pulledAtStray = 0;
    for await (const r of readCsvRecords(counted(), { columns: 3 })) {
      if (r.strayQuote) pulledAtStray = pulled;
      records.push(r);
    }
    assert.ok(
      pulledAtStray > 0 && pulledAtStray <= 17 && pulledAtStray < pulled,
      `the stray line came after ${pulledAtStray} of ${pulled} chunks`,
    );
    assert.equal(records.length, 1 + 1 + 60_000);
    assert.deepEqual(brief(records.slice(0, 3)), ['1:a|b|c', '2!:', `3:0|${'x'.repeat(20)}|y`]);
    assert.equal(records.at(-1)!.line, 60_002);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';
import { parseCsvBytes, readCsvColumns } from '../../../src/mining/table/parse-csv-bytes.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-csv-bytes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV read from bytes into typed columns', () => {
  const tricky = '\ufeffa,b,"c d"\n1,"x\ny",3.5\n\n2,"he said ""hi""",-0.25\r\n3,  plain ,1e3\n4,,\n"5","q,r",7';

  it('reads numbers as doubles and other cells as interned words, with file lines', () => {
    const parsed = parseCsvBytes(Buffer.from(tricky), 'tricky.csv');
    assert.deepEqual(parsed.header, ['a', 'b', 'c d']);
    assert.equal(parsed.rowCount, 5);
    assert.deepEqual(Array.from(parsed.lines), [2, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(parsed.columns[0]!.numbers), [1, 2, 3, 4, 5]);
    assert.deepEqual(parsed.columns[1]!.words, ['x\ny', 'he said "hi"', 'plain', '', 'q,r']);
    assert.deepEqual(Array.from(parsed.columns[2]!.numbers), [3.5, -0.25, 1000, Number.NaN, 7]);
  });

  it('gives the same columns whatever piece of the file is in memory (records across pieces, quoted line feeds)', () => {
    const file = join(dir, 'tricky.csv');
    writeFileSync(file, tricky);
    const whole = JSON.stringify(parseCsvBytes(Buffer.from(tricky), 't'));
    for (const chunk of [16, 17, 23, 40, 1 << 20])
      assert.equal(JSON.stringify(readCsvColumns(file, 't', chunk)), whole);
  });

  it('parses plain decimals exactly as Number() does', () => {
    const random = createSeededRandom(5);
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + random.int(8);
      const value = (random.normal() * 10 ** random.int(6)).toFixed(digits);
      texts.push(i % 3 === 0 ? value.replace(/^-?0\./, '.') : value);
    }
    const numbers = parseCsvBytes(Buffer.from(`v\n${texts.join('\n')}`), 'v').columns[0]!.numbers;
    texts.forEach((text, i) => {
      assert.ok(Object.is(numbers[i], Number(text)), `${text}: ${numbers[i]} vs ${Number(text)}`);
    });
  });
});

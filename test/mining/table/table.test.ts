import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../../src/shared/errors.ts';
import { encodeFeatures, inferColumn, inferTarget, parseCsvTable } from '../../../src/mining/table/index.ts';

describe('CSV tables and column types', () => {
  it('parses quoted fields with commas, quotes and line breaks, and keeps file lines', () => {
    const raw = parseCsvTable('a,b\n"x, y","say ""hi"""\n"two\nlines",3\r\nlast,4\n', 't.csv');
    assert.deepEqual(raw.columns[0], ['x, y', 'two\nlines', 'last']);
    assert.deepEqual(raw.columns[1], ['say "hi"', '3', '4']);
    assert.deepEqual(Array.from(raw.lines), [2, 3, 5]);
  });

  it('names the line of a row with the wrong number of fields', () => {
    assert.throws(
      () => parseCsvTable('a,b\n1,2\n3\n', 't.csv'),
      (e: unknown) => isAppError(e) && e.location.line === 3 && /1 fields, the header has 2/.test(e.message),
    );
  });

  it('infers numeric, boolean, categorical and excluded columns, with blanks as missing', () => {
    const n = 40;
    const ids = Array.from({ length: n }, (_, i) => `${13800000000 + i}`);
    const numbers = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? '' : String(i * 1.5)));
    const yesNo = Array.from({ length: n }, (_, i) => (i % 2 ? 'Yes' : 'no'));
    const brands = Array.from({ length: n }, (_, i) => ['mzone', 'gotone', 'easyown'][i % 3]!);
    const names = Array.from({ length: n }, (_, i) => `customer ${i}`);
    assert.deepEqual(inferColumn('msisdn', ids), { name: 'msisdn', reason: 'id-like' });
    assert.deepEqual(inferColumn('phone_number', ids), { name: 'phone_number', reason: 'id-like' });
    assert.deepEqual(inferColumn('arpu', numbers), { name: 'arpu', kind: 'numeric', missingCount: 6 });
    assert.deepEqual(inferColumn('crbt', yesNo), { name: 'crbt', kind: 'boolean', missingCount: 0 });
    assert.equal((inferColumn('brand', brands) as { kind: string }).kind, 'categorical');
    assert.deepEqual(inferColumn('name', names), { name: 'name', reason: 'id-like' });
    assert.deepEqual(inferColumn('region', Array(n).fill('heyuan')), { name: 'region', reason: 'constant' });
    assert.deepEqual(inferColumn('empty', Array(n).fill('')), { name: 'empty', reason: 'empty' });
  });

  it('reads any two target labels and picks the positive one', () => {
    const raw = parseCsvTable('y\nFALSE\nTRUE\nFalse\nfalse\n');
    assert.deepEqual(inferTarget(raw, 'y'), { name: 'y', positive: 'TRUE', negative: 'FALSE' });
    const words = parseCsvTable('y\nstay\nleave\nstay\nstay\n');
    assert.deepEqual(inferTarget(words, 'y'), { name: 'y', positive: 'leave', negative: 'stay' });
    assert.deepEqual(inferTarget(words, 'y', 'stay'), { name: 'y', positive: 'stay', negative: 'leave' });
    assert.throws(() => inferTarget(words, 'y', 'go'), /not a label/);
  });

  it('encodes categories by level and unknown levels as missing', () => {
    const raw = parseCsvTable('brand\nmzone\nnewbrand\n');
    const table = encodeFeatures(raw, [{ name: 'brand', kind: 'categorical', categories: ['gotone', 'mzone'] }]);
    assert.equal(table.columns[0]![0], 1);
    assert.ok(Number.isNaN(table.columns[0]![1]!));
  });
});

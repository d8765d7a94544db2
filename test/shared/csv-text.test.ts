// The one CSV writer: quoting as RFC 4180 wants, objects as JSON, empty for missing, a newline after each line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowsToCsv } from '../../src/shared/csv-text.ts';

test('rows become CSV that reads back to the same cells', () => {
  const csv = rowsToCsv([
    { name: 'a,b', note: 'say "hi"', n: 1.5, list: ['x', 'y'], missing: null },
    { name: '源城\n东源', note: '', n: 0, list: [], missing: undefined },
  ]);
  assert.equal(csv, 'name,note,n,list,missing\n"a,b","say ""hi""",1.5,"[""x"",""y""]",\n"源城\n东源",,0,[],\n');
  assert.equal(rowsToCsv([]), '');
});

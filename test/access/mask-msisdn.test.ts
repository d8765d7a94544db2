// Masking by pattern: phone numbers only (11 digits from 1, standing alone), JSON kept valid, the
// agent's one number kept; and passwords hashed with scrypt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, maskMsisdnJson, maskMsisdnText, verifyPassword } from '../../src/access/index.ts';

test('masks standalone 11-digit numbers starting with 1, not longer runs, decimals or other digits', () => {
  assert.equal(maskMsisdnText('call 13800138000 now'), 'call 138****8000 now');
  assert.equal(maskMsisdnText('13800138000,15912345678'), '138****8000,159****5678');
  assert.equal(maskMsisdnText('/api/mining/offers/13800138000?x=1'), '/api/mining/offers/138****8000?x=1');
  assert.equal(maskMsisdnText('1380013800012'), '1380013800012'); // 13 digits: a time in ms, not a number
  assert.equal(maskMsisdnText('0.13800138000'), '0.13800138000');
  assert.equal(maskMsisdnText('23800138000'), '23800138000');
  assert.equal(maskMsisdnText('13800138000 and 13900139000', '13900139000'), '138****8000 and 13900139000');
});

test('JSON stays valid: strings are masked, numbers are left as numbers', () => {
  const text = JSON.stringify({ msisdn: '13800138000', rows: [{ peer: '15912345678', count: 13800138000 }] });
  const masked = JSON.parse(maskMsisdnJson(text)) as { msisdn: string; rows: { peer: string; count: number }[] };
  assert.equal(masked.msisdn, '138****8000');
  assert.equal(masked.rows[0]?.peer, '159****5678');
  assert.equal(masked.rows[0]?.count, 13800138000);
  assert.equal(maskMsisdnJson('not json 13800138000'), 'not json 138****8000');
});

test("an answer holding only the agent's one number is left as it is; any other number is masked", () => {
  const own = JSON.stringify({ msisdn: '13800138000', label: '13800138000 的档案', count: 13800138000 });
  assert.equal(maskMsisdnJson(own, '13800138000'), own);
  const other = JSON.stringify({ msisdn: '13800138000', contacts: [{ peer: '15912345678' }] });
  assert.deepEqual(JSON.parse(maskMsisdnJson(other, '13800138000')), {
    msisdn: '13800138000',
    contacts: [{ peer: '159****5678' }],
  });
  // A digit written as a JSON escape is found by the value walk all the same.
  const escaped = '{"peer":"\\u00315912345678"}';
  assert.equal(JSON.parse(escaped).peer, '15912345678');
  assert.equal(JSON.parse(maskMsisdnJson(escaped, '13800138000')).peer, '159****5678');
});

test('scrypt hashes verify the right password only, and differ for the same password', async () => {
  const first = await hashPassword('correct-horse-battery');
  const second = await hashPassword('correct-horse-battery');
  assert.match(first, /^scrypt\$16384\$8\$1\$/);
  assert.notEqual(first, second);
  assert.equal(await verifyPassword('correct-horse-battery', first), true);
  assert.equal(await verifyPassword('correct-horse-batterY', first), false);
  assert.equal(await verifyPassword('x', 'garbage'), false);
});

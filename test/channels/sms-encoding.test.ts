// SMS encoding and receipts without a network: GSM for ASCII, UCS-2 for Chinese, parts that never cut
// an escape or a surrogate pair, and receipts read from the TLV or from the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSms, encodeSms } from '../../src/channels/index.ts';
import { parseReceipt } from '../../src/channels/sms/delivery-receipt.ts';

const join = (text: string, reference: number) =>
  encodeSms(text, reference)
    .map((p) => decodeSms(p.shortMessage, p.dataCoding, p.esmClass).text)
    .join('');

test('ASCII goes in the GSM alphabet, 160 to one SMS and 153 to a part', () => {
  assert.equal(encodeSms('a'.repeat(160), 1).length, 1);
  const parts = encodeSms('a'.repeat(161), 7);
  assert.deepEqual(
    parts.map((p) => [p.dataCoding, p.esmClass, p.shortMessage.length]),
    [
      [0, 0x40, 6 + 153],
      [0, 0x40, 6 + 8],
    ],
  );
  assert.deepEqual([...parts[1]!.shortMessage.subarray(0, 6)], [5, 0, 3, 7, 2, 2]);
  // `{` takes two septets (escape + code) and is never split from its escape.
  const braces = `${'a'.repeat(152)}{}${'b'.repeat(10)}`;
  assert.equal(join(braces, 1), braces);
  assert.equal(encodeSms(braces, 1)[0]!.shortMessage.length, 6 + 152);
});

test('Chinese goes as UCS-2, 70 to one SMS and 67 to a part; emoji pairs stay whole', () => {
  assert.deepEqual(encodeSms('退订回复TD', 1)[0]!.dataCoding, 8);
  assert.equal(encodeSms('好'.repeat(70), 1).length, 1);
  assert.equal(encodeSms('好'.repeat(71), 1).length, 2);
  const text = `${'好'.repeat(66)}😀尾`;
  const parts = encodeSms(text, 3);
  assert.equal(parts[0]!.shortMessage.length, 6 + 66 * 2, 'the pair moves to the next part whole');
  assert.equal(join(text, 3), text);
});

test('receipts: the TLV id or the text id, with the state mapped', () => {
  assert.deepEqual(parseReceipt({ text: 'id:0000abcd sub:001 dlvrd:001 stat:DELIVRD err:000' }), {
    smscId: '0000abcd',
    state: 'delivered',
    stat: 'DELIVRD',
  });
  assert.equal(parseReceipt({ text: 'id:1 stat:UNDELIV', receiptedMessageId: 'ff01' })?.smscId, 'ff01');
  assert.equal(parseReceipt({ text: 'id:1 stat:EXPIRED' })?.state, 'expired');
  assert.equal(parseReceipt({ text: 'id:1 stat:REJECTD' })?.state, 'rejected');
  assert.equal(parseReceipt({ text: '', receiptedMessageId: 'x', messageState: 2 })?.state, 'delivered');
  assert.equal(parseReceipt({ text: 'hello' }), undefined);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NumberTable } from '../../../src/stream/state/number-table.ts';
import { HIT_SLOTS, SubscriberState } from '../../../src/stream/state/subscriber-state.ts';

describe('subscriber state', () => {
  it('keeps the latest hit of every signal when the hit buffer overflows', () => {
    const state = new SubscriberState(4);
    const sub = state.indexOf('13800000001');
    state.addHit(sub, 1, 100); // one 12580 call, then many 114 calls
    for (let i = 0; i < HIT_SLOTS + 3; i++) state.addHit(sub, 0, 200 + i);
    assert.equal(state.countHits(sub, 1, 0, 1000), 1);
    assert.equal(state.countHits(sub, 0, 0, 1000), HIT_SLOTS - 1);
    assert.equal(state.countHits(sub, 0, 210, 1000), 1);
  });

  it('grows past its first capacity without losing subscribers or their state', () => {
    const state = new SubscriberState(16);
    for (let i = 0; i < 1000; i++) {
      const sub = state.indexOf(String(13900000000 + i));
      state.cell[sub] = i;
      state.addHit(sub, i % 7, i);
    }
    assert.equal(state.count, 1000);
    const sub = state.find('13900000500');
    assert.equal(state.cell[sub], 500);
    assert.equal(state.countHits(sub, 500 % 7, 500, 500), 1);
    assert.equal(state.find('13900009999'), -1);
    assert.ok(state.byteLength / state.count < 300);
  });

  it('maps 11-digit numbers through a typed hash table', () => {
    const table = new NumberTable(2);
    for (let i = 0; i < 5000; i++) table.set(13000000000 + i * 7919, i);
    assert.equal(table.size, 5000);
    assert.equal(table.get(13000000000 + 4999 * 7919), 4999);
    assert.equal(table.get(13000000001), -1);
  });
});

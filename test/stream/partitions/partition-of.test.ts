import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { doneThrough, linePosition } from '../../../src/stream/partitions/partitioned-source.ts';
import {
  parseNatsServers,
  parseWorkerSlot,
  partitionOf,
  workerPartitions,
} from '../../../src/stream/partitions/partition-of.ts';

test('a subscriber always lands in the same partition, and subscribers spread over all of them', () => {
  assert.equal(partitionOf('13800000001', 8), partitionOf('13800000001', 8));
  const counts = new Array<number>(8).fill(0);
  for (let i = 0; i < 8000; i++) counts[partitionOf(`138${String(i).padStart(8, '0')}`, 8)]!++;
  assert.ok(Math.min(...counts) > 800 && Math.max(...counts) < 1200, `even spread: ${counts.join(',')}`);
});

test('worker i of N owns the partitions p with p mod N = i, and every partition has one owner', () => {
  assert.deepEqual(parseWorkerSlot('1/3'), { index: 1, count: 3 });
  assert.deepEqual(workerPartitions({ index: 1, count: 3 }, 8), [1, 4, 7]);
  const owners = [0, 1, 2].flatMap((index) => workerPartitions({ index, count: 3 }, 8)).sort((a, b) => a - b);
  assert.deepEqual(owners, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.throws(() => parseWorkerSlot('2/2'), /i\/N with 0 ≤ i < N/);
  assert.throws(() => parseWorkerSlot('one'), /--worker/);
  assert.deepEqual(parseNatsServers('nats://127.0.0.1:4222, 127.0.0.1:4223'), [
    'nats://127.0.0.1:4222',
    '127.0.0.1:4223',
  ]);
  assert.throws(() => parseNatsServers('http://x'), /not a server address/);
});

test('a lane position says which messages are done completely', () => {
  // Message 7 with three lines: the first two are partial, the last closes the message.
  assert.equal(doneThrough(linePosition(7, 0, 3)), 6);
  assert.equal(doneThrough(linePosition(7, 1, 3)), 6);
  assert.equal(doneThrough(linePosition(7, 2, 3)), 7);
  assert.equal(doneThrough(linePosition(8, 0, 1)), 8);
  assert.ok(linePosition(7, 2, 3) < linePosition(8, 0, 2));
  assert.equal(doneThrough(-1), 0);
});

test('telmark stream --nats without a snapshot is a usage error that says what to add', () => {
  const result = spawnSync(
    process.execPath,
    ['bin/telmark.js', 'stream', '--nats', 'nats://127.0.0.1:4222', '--worker', '0/2'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /--nats needs --snapshot FILE/);
});

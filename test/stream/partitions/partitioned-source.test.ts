// The partitioned source on its own: a partition's consumer that disappears under a running worker (an
// operator deleting it, its nodes lost) is re-created, so the lines continue once each, in order,
// instead of the worker waiting for good; and the server never counts as done what the worker has
// read but not yet acknowledged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { partitionedNatsSource } from '../../../src/stream/partitions/partitioned-source.ts';
import { openSignallingPublisher } from '../../../src/stream/partitions/signalling-publisher.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-partitioned-source-'));

async function publish(servers: string[], from: number, to: number) {
  const publisher = await openSignallingPublisher({ servers, partitions: 1, replicas: 1, batchEvents: 10 });
  for (let i = from; i < to; i++) await publisher.add(`{"i":${i}}`, '13800000000');
  return publisher.close();
}

/** The only worker of a one-partition stream on one node, with the notes it writes. */
function oneWorkerSource(servers: string[]) {
  const notes: string[] = [];
  const source = partitionedNatsSource({
    servers,
    partitions: 1,
    worker: { index: 0, count: 1 },
    clock: fixedClock(0),
    replicas: 1,
    note: (text) => notes.push(text),
  });
  return { source, notes };
}

describe('partitioned NATS source', { skip }, () => {
  let servers: string[] = [];
  before(async () => {
    ({ servers } = await startNatsNodes(join(dir, 'nats'), 1));
  });
  after(async () => {
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-creates a consumer deleted under it and reads on after what it has, each line once', {
    timeout: 60_000,
  }, async () => {
    await publish(servers, 0, 1000);
    const { source, notes } = oneWorkerSource(servers);
    const connection = await connect({ servers });
    const seen: number[] = [];
    let lastPosition = -1;
    try {
      const manager = await jetstreamManager(connection);
      for await (const batch of source.batches(-1, new Map())) {
        for (const line of batch) seen.push((JSON.parse(line.text) as { i: number }).i);
        lastPosition = batch.at(-1)?.position ?? lastPosition;
        if (seen.length >= 300 && notes.length === 0 && seen.length < 1000) {
          await manager.consumers.delete('SIG', 'telmark-sig-0');
          await publish(servers, 1000, 1500);
          notes.push('deleted');
        }
        if (seen.length >= 1500) break;
      }
      // The last commit after close acknowledges everything read, then lets the connection go.
      await source.close();
      await source.commit?.(-1, new Map([[0, lastPosition]]));
      const consumer = await manager.consumers.info('SIG', 'telmark-sig-0');
      assert.equal(consumer.num_ack_pending, 0);
      assert.equal(consumer.num_pending, 0);
    } finally {
      await source.close();
      await connection.close();
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 1500 }, (_, i) => i),
    );
    assert.match(notes.join('\n'), /consumer gone/);
  });

  it('leaves what a worker queued but has not acknowledged pending on the server when its consumer is re-created', {
    timeout: 60_000,
  }, async () => {
    const connection = await connect({ servers });
    const manager = await jetstreamManager(connection);
    await manager.streams.delete('SIG').catch(() => false);
    await publish(servers, 0, 1000);
    const { source, notes } = oneWorkerSource(servers);
    const pendingOnServer = async () => {
      const info = await manager.consumers.info('SIG', 'telmark-sig-0').catch(() => undefined);
      return info && { undelivered: info.num_pending, unacknowledged: info.num_ack_pending };
    };
    const until = async (what: string, ok: () => Promise<boolean>) => {
      const started = Date.now();
      while (!(await ok())) {
        assert.ok(Date.now() - started < 20_000, `${what} (notes: ${notes.join(' | ')})`);
        await sleep(50);
      }
    };
    const seen: number[] = [];
    const batches = source.batches(-1, new Map())[Symbol.asyncIterator]();
    try {
      // The engine takes one batch and is then busy: the source reads every message ahead into its queue.
      const first = await batches.next();
      for (const line of first.value ?? []) seen.push((JSON.parse(line.text) as { i: number }).i);
      await until('every message delivered', async () => (await pendingOnServer())?.undelivered === 0);
      await manager.consumers.delete('SIG', 'telmark-sig-0');
      await until('the consumer re-created and caught up', async () => {
        const pending = await pendingOnServer();
        return source.resets() >= 1 && pending !== undefined && pending.undelivered === 0;
      });
      // Nothing is acknowledged yet: the server must still hold all 100 messages as not done.
      assert.deepEqual(await pendingOnServer(), { undelivered: 0, unacknowledged: 100 });

      let lastPosition = first.value?.at(-1)?.position ?? -1;
      while (seen.length < 1000) {
        const next = await batches.next();
        assert.ok(!next.done, `the source ended after ${seen.length} lines`);
        for (const line of next.value) seen.push((JSON.parse(line.text) as { i: number }).i);
        lastPosition = next.value.at(-1)?.position ?? lastPosition;
      }
      await source.commit?.(-1, new Map([[0, lastPosition]]));
      assert.deepEqual(await pendingOnServer(), { undelivered: 0, unacknowledged: 0 });
    } finally {
      await source.close();
      await batches.return?.();
      await connection.close();
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.match(notes.join('\n'), /consumer gone/);
  });
});

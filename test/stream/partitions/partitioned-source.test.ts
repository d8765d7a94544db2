// The partitioned source on its own: a partition's consumer that disappears under a running worker (an
// operator deleting it, its nodes lost) is re-created after what the worker has already read, so the
// lines continue once each, in order, instead of the worker waiting for good.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
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

describe('partitioned NATS source', { skip }, () => {
  after(async () => {
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-creates a consumer deleted under it and reads on after what it has, each line once', {
    timeout: 60_000,
  }, async () => {
    const { servers } = await startNatsNodes(join(dir, 'nats'), 1);
    await publish(servers, 0, 1000);
    const notes: string[] = [];
    const source = partitionedNatsSource({
      servers,
      partitions: 1,
      worker: { index: 0, count: 1 },
      clock: fixedClock(0),
      replicas: 1,
      note: (text) => notes.push(text),
    });
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
});

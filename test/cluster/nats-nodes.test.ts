import assert from 'node:assert/strict';
import { isAlive } from '../../src/cluster/process-ids.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { readNatsNodes, startNatsNodes, stopNatsNodes } from '../../src/cluster/nats-nodes.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const folder = mkdtempSync(join(tmpdir(), 'telmark-nats-nodes-'));

describe('NATS nodes on loopback', { skip }, () => {
  after(async () => {
    await stopNatsNodes(folder);
    rmSync(folder, { recursive: true, force: true });
  });

  it('starts three routed JetStream nodes that hold a stream replicated three ways, and stops them by pid', async () => {
    const { servers, pids } = await startNatsNodes(folder, 3);
    assert.equal(servers.length, 3);
    assert.equal(new Set(servers).size, 3);
    assert.ok(pids.every(isAlive));
    assert.deepEqual(
      readNatsNodes(folder).map((n) => n.pid),
      pids,
    );
    const connection = await connect({ servers: servers[2] });
    try {
      const manager = await jetstreamManager(connection);
      const info = await manager.streams.add({ name: 'PROBE', subjects: ['probe.>'], num_replicas: 3 });
      assert.equal(info.config.num_replicas, 3);
      // The replicas sit on the other nodes: the cluster is one cluster, not three single servers.
      const peers = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].sort();
      assert.deepEqual(peers, ['n0', 'n1', 'n2']);
    } finally {
      await connection.close();
    }
    await assert.rejects(startNatsNodes(folder, 3), /already run/);
    await stopNatsNodes(folder);
    assert.ok(pids.every((pid) => !isAlive(pid)));
    assert.deepEqual(readNatsNodes(folder), []);
  });
});

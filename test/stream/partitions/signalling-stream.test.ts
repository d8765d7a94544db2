// Making sure the signalling stream exists, on a server that answers late: a worker starting on a
// starved machine saw JetStream's 5 s request timeout and ended with "unexpected error: timeout"
// instead of asking again (issue 19, the kill-and-replace stream test under a CPU hog).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { connectCluster, ensureSignallingStream } from '../../../src/stream/partitions/signalling-stream.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-signalling-stream-'));

describe('the signalling stream on a server that answers late', { skip }, () => {
  let servers: string[] = [];
  let pid = 0;
  before(async () => {
    const started = await startNatsNodes(join(dir, 'nats'), 1);
    servers = started.servers;
    pid = started.pids[0]!;
  });
  after(async () => {
    process.kill(pid, 'SIGCONT');
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks again after a request timeout instead of failing, and then finds or creates the stream', {
    timeout: 60_000,
  }, async () => {
    const connection = await connectCluster(servers);
    try {
      process.kill(pid, 'SIGSTOP');
      const ensuring = ensureSignallingStream(connection, { partitions: 4, replicas: 1 });
      // Longer than the client's 5 s request timeout: the first request must have failed by then.
      await sleep(7000);
      process.kill(pid, 'SIGCONT');
      const manager = await ensuring;
      const info = await manager.streams.info('SIG');
      assert.deepEqual(info.config.subjects, ['sig.0', 'sig.1', 'sig.2', 'sig.3']);
      // A second worker finds the stream as it is.
      await ensureSignallingStream(connection, { partitions: 4, replicas: 1 });
    } finally {
      process.kill(pid, 'SIGCONT');
      await connection.close();
    }
  });
});

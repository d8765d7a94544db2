// A port picked free and taken by another process before the server binds it: the start must notice the
// server's exit, see from its log that the port was taken, and start again on fresh ports. A ClickHouse
// shard met this in a full `npm test` ("Address already in use") and the cluster's start failed after
// waiting 60 s. Here the first ports handed out include one this test holds open.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startClickHouseShards, stopClickHouseShards } from '../../src/cluster/clickhouse-shards.ts';
import { freePorts } from '../../src/cluster/free-port.ts';
import { readNatsNodes, startNatsNodes, stopNatsNodes } from '../../src/cluster/nats-nodes.ts';
import { PortTakenError } from '../../src/cluster/port-taken.ts';
import { isAlive, readPids } from '../../src/cluster/process-ids.ts';
import { clickhouseSkip } from './cluster-cli.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;

const folder = mkdtempSync(join(tmpdir(), 'telmark-port-taken-'));
let holder: Server;
let held: number;

before(async () => {
  holder = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  held = (holder.address() as { port: number }).port;
});
after(async () => {
  await new Promise((resolve) => holder.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

/** Hands out the held port at `index` for the first `times` picks, then only free ports. */
function takenFirst(index: number, times: number) {
  const picks: number[][] = [];
  const pick = async (count: number) => {
    const ports = await freePorts(count);
    if (picks.length < times) ports[index] = held;
    picks.push(ports);
    return ports;
  };
  return { pick, picks };
}

describe('a port taken between picking and binding', () => {
  it('ClickHouse: the shards start again on fresh ports and none of them uses the taken one', {
    skip: clickhouseSkip,
  }, async () => {
    const dir = join(folder, 'clickhouse-once');
    // Index 1 is shard1's native TCP port: in the failure seen, the HTTP port was free and another was not.
    const { pick, picks } = takenFirst(1, 1);
    const { shards } = await startClickHouseShards(dir, 2, undefined, pick);
    try {
      assert.equal(picks.length, 2, 'one attempt on the taken port, one on fresh ports');
      assert.deepEqual(
        shards.flatMap((s) => [s.httpPort, s.tcpPort, s.interserverPort]),
        picks[1],
      );
      assert.ok(shards.every((s) => isAlive(s.pid)));
      assert.deepEqual(
        readPids(dir, 'clickhouse'),
        shards.map((s) => s.pid),
      );
      const answer = await fetch(
        `http://127.0.0.1:${shards[0]!.httpPort}/?query=SELECT%20count()%20FROM%20system.clusters`,
      );
      assert.equal(answer.status, 200);
    } finally {
      await stopClickHouseShards(dir);
    }
  });

  it('ClickHouse: a port that stays taken fails with the log line that says so, and leaves no shard running', {
    skip: clickhouseSkip,
  }, async () => {
    const dir = join(folder, 'clickhouse-always');
    const { pick, picks } = takenFirst(0, Number.POSITIVE_INFINITY);
    const started = Date.now();
    const error = await startClickHouseShards(dir, 1, undefined, pick).then(
      () => assert.fail('started on a port held by another process'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PortTakenError, String(error));
    assert.match(error.message, /ClickHouse shard1 could not listen/);
    assert.match(error.hint ?? '', /address already in use/i);
    assert.equal(picks.length, 3);
    assert.deepEqual(readPids(dir, 'clickhouse'), []);
    // Noticed from the exit, not from the 60 s answer timeout (three attempts would take 3 minutes).
    assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
  });

  it('NATS: the nodes start again on fresh ports, and a port that stays taken fails with the log line', {
    skip: hasNats ? false : 'nats-server is not installed',
  }, async () => {
    const dir = join(folder, 'nats-once');
    const once = takenFirst(0, 1);
    const { servers, pids } = await startNatsNodes(dir, 2, once.pick);
    try {
      assert.equal(once.picks.length, 2);
      assert.ok(!servers.includes(`nats://127.0.0.1:${held}`));
      assert.deepEqual(
        readNatsNodes(dir).flatMap((n) => [n.clientPort, n.routePort, n.monitorPort]),
        once.picks[1],
      );
      assert.ok(pids.every(isAlive));
    } finally {
      await stopNatsNodes(dir);
    }

    const always = takenFirst(2, Number.POSITIVE_INFINITY);
    const error = await startNatsNodes(join(folder, 'nats-always'), 1, always.pick).then(
      () => assert.fail('started on a port held by another process'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PortTakenError, String(error));
    assert.match(error.message, /nats-server n0 could not listen/);
    assert.match(error.hint ?? '', /address already in use/i);
    assert.equal(always.picks.length, 3);
    assert.deepEqual(readNatsNodes(join(folder, 'nats-always')), []);
  });
});

// The signalling stream on a 3-node NATS JetStream cluster: partitions by subscriber, workers owning
// partitions through durable consumers, and faults (a node killed, a worker killed) that must lose no
// acknowledged event and double no trigger. The reference is one process reading the same events.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { openSignallingPublisher } from '../../../src/stream/partitions/signalling-publisher.ts';
import {
  type EventFixture,
  PARTITIONS,
  type RunResult,
  runSingleProcess,
  runWorker,
  writeEvents,
  writeStreamFiles,
} from './cluster-fixtures.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-sig-cluster-'));
let servers: string[] = [];
let fixture: EventFixture;
let files: { cellsFile: string; rulesFile: string };
let reference: RunResult;

async function freshStream(): Promise<void> {
  const connection = await connect({ servers });
  try {
    const manager = await jetstreamManager(connection);
    await manager.streams.delete('SIG').catch(() => false);
  } finally {
    await connection.close();
  }
}

async function publishAll(lines: EventFixture['lines']) {
  const publisher = await openSignallingPublisher({ servers, partitions: PARTITIONS, batchEvents: 200 });
  for (const line of lines) await publisher.add(line.text, line.msisdn);
  return publisher.close();
}

function merged(runs: RunResult[]) {
  return {
    decisionIds: runs.flatMap((r) => r.decisionIds).sort(),
    events: runs.reduce((n, r) => n + r.events, 0),
    decisions: runs.reduce((n, r) => n + r.decisions, 0),
  };
}

describe('the signalling stream on a NATS JetStream cluster', { skip }, () => {
  before(async () => {
    ({ servers } = await startNatsNodes(join(dir, 'nats'), 3));
    files = writeStreamFiles(dir);
    fixture = writeEvents(dir, { subscribers: 3000, days: 2, perDay: 8, seed: 18 });
    reference = await runSingleProcess(dir, files, fixture.file);
  });
  after(async () => {
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same triggers with one worker and with two as one process reading the events', async () => {
    assert.equal(reference.events, fixture.lines.length);
    assert.ok(reference.decisionIds.length > 500, `the fixture makes triggers (${reference.decisionIds.length})`);
    await freshStream();
    const published = await publishAll(fixture.lines);
    assert.equal(published.events, fixture.lines.length);
    assert.ok(published.messages >= PARTITIONS);

    const one = await runWorker(
      {
        worker: { index: 0, count: 1 },
        db: join(dir, 'one.duckdb'),
        snapshot: join(dir, 'one.snap'),
        durablePrefix: 'one',
      },
      { servers, files, fixture },
    );
    assert.deepEqual(merged([one]), {
      decisionIds: reference.decisionIds,
      events: reference.events,
      decisions: reference.decisions,
    });
    const two = await Promise.all(
      [0, 1].map((index) =>
        runWorker(
          {
            worker: { index, count: 2 },
            db: join(dir, `two-${index}.duckdb`),
            snapshot: join(dir, `two-${index}.snap`),
            durablePrefix: 'two',
          },
          { servers, files, fixture },
        ),
      ),
    );
    assert.ok(
      two.every((r) => r.decisionIds.length > 0),
      'both workers make triggers',
    );
    assert.deepEqual(merged(two), {
      decisionIds: reference.decisionIds,
      events: reference.events,
      decisions: reference.decisions,
    });
  });
});

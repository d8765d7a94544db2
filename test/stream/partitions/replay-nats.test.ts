// `telmark replay --nats`: signalling files published to the partitioned stream, events batched per
// message, each in its subscriber's partition.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { partitionOf } from '../../../src/stream/partitions/partition-of.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-replay-nats-'));

describe('telmark replay --nats', { skip }, () => {
  after(async () => {
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes every event once, batched per message, in its subscriber’s partition', async () => {
    const { servers } = await startNatsNodes(join(dir, 'nats'), 1);
    mkdirSync(join(dir, 'feeds'));
    const msisdns = Array.from({ length: 10 }, (_, i) => `1390000000${i}`);
    const rows = Array.from(
      { length: 40 },
      (_, i) => `2026-03-01 09:${String(i).padStart(2, '0')}:00,${msisdns[i % 10]},call_out,9310-101,114,20`,
    );
    writeFileSync(
      join(dir, 'feeds', 'signalling_20260301.csv'),
      `ts,msisdn,event,cell_id,peer,duration_s\n${rows.join('\n')}\n`,
    );
    const result = spawnSync(
      process.execPath,
      [
        'bin/telmark.js',
        '--format',
        'json',
        'replay',
        '--from',
        join(dir, 'feeds'),
        '--speed',
        '0',
        '--nats',
        servers.join(','),
        '--partitions',
        '4',
        '--replicas',
        '1',
        '--batch',
        '3',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const [summary] = JSON.parse(result.stdout) as { sent: number; events: number; messages: number }[];
    assert.equal(summary!.sent, 40);
    assert.equal(summary!.events, 40);

    const connection = await connect({ servers });
    try {
      const manager = await jetstreamManager(connection);
      const info = await manager.streams.info('SIG');
      assert.equal(info.state.messages, summary!.messages);
      let events = 0;
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const message = await manager.streams.getMessage('SIG', { seq });
        const lines = message!.string().split('\n');
        assert.ok(lines.length <= 3, 'at most --batch events a message');
        for (const line of lines) {
          const msisdn = (JSON.parse(line) as { msisdn: string }).msisdn;
          assert.equal(message!.subject, `sig.${partitionOf(msisdn, 4)}`);
          events++;
        }
      }
      assert.equal(events, 40);
    } finally {
      await connection.close();
    }
  });
});

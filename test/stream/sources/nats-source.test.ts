import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startNatsNodes, stopNatsNodes } from '../../../src/cluster/nats-nodes.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { natsPublisher } from '../../../src/stream/sources/nats-source.ts';
import { openStreamSession } from '../../../src/stream/stream-session.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';

const hasNats = spawnSync('nats-server', ['--version']).status === 0;
const skip = hasNats ? false : 'nats-server is not installed (apt-get install -y nats-server)';
const dir = mkdtempSync(join(tmpdir(), 'telmark-nats-'));
let url = '';

function event(ts: string, msisdn: string, cell: string, peer: string): string {
  return JSON.stringify({ ts: `2026-03-01 ${ts}`, msisdn, event: 'call_out', cell_id: cell, peer, duration_s: 20 });
}

async function runStream(db: string, maxLines: number) {
  const warehouse = await Warehouse.open(db);
  try {
    const session = await openStreamSession({
      source: `${url}/signalling.heyuan?stream=SIG&durable=telmark-test`,
      clock: fixedClock('2026-03-01T04:00:00Z'),
      warehouse,
      rulesFile: join(dir, 'rules.yaml'),
      cellsFile: join(dir, 'cells.csv'),
      snapshotPath: join(dir, 'state.snap'),
      maxLines,
    });
    const summary = await session.run();
    await session.stop();
    const rows = await warehouse.all<{ msisdn: string; status: string }>(
      'SELECT msisdn, status FROM stream_outbox ORDER BY event_ts, msisdn',
    );
    return { summary, rows };
  } finally {
    warehouse.close();
  }
}

describe('NATS JetStream source with a durable consumer (real nats-server)', { skip }, () => {
  before(async () => {
    // One JetStream node, started again on fresh ports should another process take one of its ports first.
    url = (await startNatsNodes(join(dir, 'nats'), 1)).servers[0]!;
    const rows = heyuanCells().cells.map((c) =>
      [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
    );
    writeFileSync(join(dir, 'cells.csv'), `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'rules.yaml'), stationRules);
  });
  // nats-server writes its JetStream folder until it has exited: removing the folder first races it,
  // and the race makes `npm test` exit 1 while it reports "fail 0".
  after(async () => {
    await stopNatsNodes(join(dir, 'nats'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires the station rule on published events, and after a restart resumes without repeating', async () => {
    const publisher = await natsPublisher(`${url}/signalling.heyuan?stream=SIG`);
    await publisher.publish(event('10:00:00', '13800000001', '9310-101', '114'));
    await publisher.publish('not json at all');
    await publisher.publish(event('10:00:05', '13800000002', '9310-101', '12580'));
    await publisher.publish(event('10:01:00', '13800000002', '9310-101', '114'));
    await publisher.publish(event('10:02:00', '13800000003', '9320-301', '114'));
    const db = join(dir, 'nats.duckdb');
    const first = await runStream(db, 5);
    assert.equal(first.summary.events, 4);
    assert.equal(first.summary.rejected, 1);
    assert.deepEqual(first.rows, [{ msisdn: '13800000001', status: 'pending' }]);

    await publisher.publish(event('10:03:00', '13800000004', '9310-102', '114'));
    await publisher.publish(event('10:04:00', '13800000001', '9310-102', '114'));
    await publisher.close();
    const second = await runStream(db, 2);
    assert.equal(second.summary.events, 2);
    assert.equal(second.summary.duplicates, 0);
    assert.deepEqual(second.rows, [
      { msisdn: '13800000001', status: 'pending' },
      { msisdn: '13800000004', status: 'pending' },
      { msisdn: '13800000001', status: 'suppressed' },
    ]);
  });
});

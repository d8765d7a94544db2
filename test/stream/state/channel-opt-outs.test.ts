// The stream keeps no opt-out list of its own: the channels' list (channel_opt_outs) suppresses its
// decisions, read at start and again while it runs, and the older stream_opt_outs rows still count.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { addOptOuts } from '../../../src/channels/index.ts';
import { loadWarehouseProfiles, refreshOptOuts } from '../../../src/stream/state/load-profiles.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { harness, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-stream-optout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an opt-out on the channels list, before or during the run, suppresses the trigger', async () => {
  const warehouse = await Warehouse.open(join(dir, 'optout.duckdb'));
  try {
    await addOptOuts(warehouse, ['13800000001'], { at: '2026-03-01 08:00:00', via: 'mo:TD' });
    await warehouse.run(`INSERT INTO stream_opt_outs (msisdn, since) VALUES ('13800000003', TIMESTAMP '2026-02-01')`);
    const h = harness(stationRules, { clockAt: '2026-03-01T02:00:00Z' });
    await loadWarehouseProfiles(warehouse, h.engine);
    let known = await warehouse.scalar('SELECT count(*) FROM channel_opt_outs');
    await addOptOuts(warehouse, ['13800000002'], { at: '2026-03-01 10:05:00', via: 'mo:退订' });
    known = await refreshOptOuts(warehouse, h.engine, known);
    assert.equal(known, 2);
    for (const m of ['13800000001', '13800000002', '13800000003', '13800000004'])
      h.send('2026-03-01 10:10:00', m, 'call_out', '9310-101', '114');
    assert.deepEqual(h.fired(), [
      'station-114-not-12580 13800000001 suppressed:opted_out',
      'station-114-not-12580 13800000002 suppressed:opted_out',
      'station-114-not-12580 13800000003 suppressed:opted_out',
      'station-114-not-12580 13800000004 pending',
    ]);
  } finally {
    warehouse.close();
  }
});

// Loading the subscribers' brands and the opt-outs grows the state as new numbers come: every
// subscriber keeps what was loaded for it, also the ones whose number made the arrays grow.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { addOptOuts } from '../../../src/channels/index.ts';
import { brands } from '../../../src/feeds/contract.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { TriggerEngine } from '../../../src/stream/engine/trigger-engine.ts';
import { loadWarehouseProfiles } from '../../../src/stream/state/load-profiles.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-stream-profiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every subscriber keeps its brand and opt-out, also those loaded when the state grew', async () => {
  const warehouse = await Warehouse.open(join(dir, 'profiles.duckdb'));
  try {
    const numbers = Array.from({ length: 300 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
    await warehouse.run(
      `INSERT INTO subscribers (msisdn, brand, region, county, plan_id, activated_on, birth_year, gender, status, status_changed_on, file_id)
       SELECT '1380000' || lpad(CAST(i AS VARCHAR), 4, '0'), CASE WHEN i % 2 = 0 THEN 'mzone' ELSE 'gotone' END,
              '河源', '源城', 'P1', DATE '2020-01-01', 1990, 'F', 'active', DATE '2020-01-01', 1
       FROM range(300) t(i)`,
    );
    const optedOut = numbers.filter((_, i) => i % 3 === 0);
    await addOptOuts(warehouse, optedOut, { at: '2026-03-01 08:00:00', via: 'mo:TD' });
    const engine = new TriggerEngine({
      cells: heyuanCells(),
      clock: fixedClock('2026-03-01T00:00:00Z'),
      expectedSubscribers: 16,
    });
    assert.ok(engine.state.capacity < 300, 'the state starts smaller than the load, so it grows');
    await loadWarehouseProfiles(warehouse, engine);
    const state = engine.state;
    const lost = numbers.filter((m, i) => {
      const sub = state.indexOf(m);
      return (
        state.brand[sub] !== brands.indexOf(i % 2 === 0 ? 'mzone' : 'gotone') ||
        state.optedOut[sub] !== (i % 3 === 0 ? 1 : 0)
      );
    });
    assert.deepEqual(lost, []);
  } finally {
    warehouse.close();
  }
});

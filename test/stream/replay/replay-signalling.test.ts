import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { systemClock } from '../../../src/shared/clock.ts';
import { replaySignalling } from '../../../src/stream/replay/replay-signalling.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-replay-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('replay of generated signalling', () => {
  it('sends the days in order as JSON lines, paced by event time', async () => {
    const feeds = join(dir, 'feeds');
    mkdirSync(feeds);
    const header = 'ts,msisdn,event,cell_id,peer,duration_s';
    writeFileSync(
      join(feeds, 'signalling_20260302.csv'),
      `${header}\n2026-03-02 00:00:00,13800000003,sms_out,9501-1,10086,0\n`,
    );
    writeFileSync(
      join(feeds, 'signalling_20260301.csv'),
      `${header}\n2026-03-01 23:59:00,13800000001,call_out,9501-1,114,20\nbroken\n2026-03-01 23:59:30.500,13800000002,location_update,9501-2,,0\n`,
    );
    writeFileSync(join(feeds, 'orders_20260301.csv'), 'not signalling\n');
    const sent: string[] = [];
    const started = Date.now();
    const result = await replaySignalling({
      from: feeds,
      speed: 600,
      clock: systemClock,
      target: { write: (line) => void sent.push(line), close: async () => undefined },
    });
    const elapsed = Date.now() - started;
    assert.deepEqual(result, { sent: 3, rejected: 1 });
    assert.deepEqual(
      sent.map((l) => JSON.parse(l).msisdn),
      ['13800000001', '13800000002', '13800000003'],
    );
    assert.equal(JSON.parse(sent[1]!).ts, '2026-03-01 23:59:30.500');
    // 60 s of event time at speed 600 is 100 ms of wall time.
    assert.ok(elapsed >= 90, `took ${elapsed} ms`);
  });
});

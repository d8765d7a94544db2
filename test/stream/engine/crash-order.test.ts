// The stream's checkpoint must run in the order flush → snapshot → commit: decisions reach the outbox
// before a snapshot says their events are done, and a source may acknowledge only what a snapshot
// covers. A crash between any two steps then loses no trigger and repeats none.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Clock, fixedClock, systemClock } from '../../../src/shared/clock.ts';
import type { Decision } from '../../../src/stream/engine/decision.ts';
import { runStream } from '../../../src/stream/engine/run-stream.ts';
import { TriggerEngine } from '../../../src/stream/engine/trigger-engine.ts';
import { applyRuleFile } from '../../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';
import { fileSource } from '../../../src/stream/sources/file-source.ts';
import type { StreamSource } from '../../../src/stream/sources/stream-source.ts';
import { readSnapshot } from '../../../src/stream/state/engine-snapshot.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const events = join(dir, 'events.jsonl');
// Events from 09:00 local time (01:00 UTC at +08:00) on 2026-03-01.
const FIRST_EVENT_UTC_MS = Date.UTC(2026, 2, 1, 1, 0, 0);

/** 800 seeded events of 30 subscribers at the station and on campus, calling 114, 12580 and friends. */
function writeEvents(): void {
  let seed = 777;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const cells = ['9310-101', '9310-102', '9310-201', '9320-301'];
  const lines: string[] = [];
  let t = Date.UTC(2026, 2, 1, 9, 0, 0);
  for (let i = 0; i < 800; i++) {
    t += Math.floor(random() * 15_000);
    const msisdn = `1390000${String(Math.floor(random() * 30)).padStart(4, '0')}`;
    const peer = random() < 0.6 ? '114' : random() < 0.5 ? '12580' : '13912345678';
    const ts = new Date(t).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(
      JSON.stringify({ ts, msisdn, event: 'call_out', cell_id: cells[Math.floor(random() * 4)], peer, duration_s: 5 }),
    );
  }
  writeFileSync(events, `${lines.join('\n')}\n`);
}

/** A clock that moves 3 s each time the loop asks, so checkpoints fall every couple of batches. */
function tickingClock(): Clock {
  let ms = FIRST_EVENT_UTC_MS;
  return {
    now: () => new Date(ms),
    nowMs: () => {
      ms += 3000;
      return ms;
    },
  };
}

/** An outbox that holds decisions in memory until flushed, then keeps them by id (like INSERT OR IGNORE). */
function memoryOutbox() {
  const pending: Decision[] = [];
  const durable = new Map<string, string>();
  return {
    pending,
    durable,
    add: (d: Decision) => void pending.push(d),
    flush: async () => {
      for (const d of pending.splice(0)) durable.set(d.decisionId, d.status);
    },
  };
}

function newEngine(onDecision: (d: Decision) => void): TriggerEngine {
  const engine = new TriggerEngine({ cells: heyuanCells(), clock: fixedClock('2026-03-01T04:00:00Z'), onDecision });
  applyRuleFile(engine, parseRuleText(stationRules.replace('control: 0', 'control: 0.2'), 'rules.yaml'));
  return engine;
}

/** The position written in a snapshot file's header, -1 when there is none yet. */
function snapshotPosition(path: string): number {
  if (!existsSync(path)) return -1;
  const data = readFileSync(path);
  const length = data.readUInt32LE(8);
  return (JSON.parse(data.toString('utf8', 12, 12 + length)) as { position: number }).position;
}

function withCommit(source: StreamSource, commit: (position: number) => Promise<void>): StreamSource {
  return {
    description: source.description,
    batches: (from) => source.batches(from),
    commit,
    close: () => source.close(),
  };
}

async function straightRun(): Promise<Map<string, string>> {
  const outbox = memoryOutbox();
  const engine = newEngine(outbox.add);
  await runStream({
    engine,
    source: fileSource({ path: events, clock: systemClock, chunkBytes: 4096 }),
    clock: tickingClock(),
    outbox,
  });
  return outbox.durable;
}

describe('checkpoint order of the stream loop', () => {
  writeEvents();

  it('flushes the outbox, then writes the snapshot, then commits the source', async () => {
    const snapshot = join(dir, 'order.snap');
    const outbox = memoryOutbox();
    const engine = newEngine(outbox.add);
    const log: string[] = [];
    const flush = async () => {
      log.push(`flush(snapshot at ${snapshotPosition(snapshot)}, engine at ${engine.position})`);
      await outbox.flush();
    };
    const source = withCommit(fileSource({ path: events, clock: systemClock, chunkBytes: 4096 }), async (position) => {
      // Everything the snapshot covers must already be in the outbox, and the snapshot must be on disk.
      assert.equal(outbox.pending.length, 0, `commit(${position}) with ${outbox.pending.length} decisions unflushed`);
      assert.equal(snapshotPosition(snapshot), position, `commit(${position}) before the snapshot was written`);
      log.push(`commit(${position})`);
    });
    await runStream({
      engine,
      source,
      clock: tickingClock(),
      outbox: { flush },
      snapshotPath: snapshot,
      snapshotEveryMs: 5000,
    });
    const commits = log.filter((l) => l.startsWith('commit'));
    assert.ok(commits.length >= 4, `expected several checkpoints, got ${log.join(' ')}`);
    let advanced = 0;
    log.forEach((entry, i) => {
      if (!entry.startsWith('commit')) return;
      const flushed = log[i - 1] ?? '';
      assert.match(flushed, /^flush/, `${entry} not right after a flush: ${log.join(' ')}`);
      // At the flush the snapshot on disk is still the previous one: the snapshot came after it.
      const [, onDisk, at] = /snapshot at (-?\d+), engine at (-?\d+)/.exec(flushed)!;
      assert.ok(Number(onDisk) <= Number(at), `the snapshot ran ahead of the engine: ${flushed}`);
      if (Number(onDisk) < Number(at)) advanced++;
    });
    assert.ok(advanced >= 3, `the snapshot was already written at the flush: ${log.join(' ')}`);
    assert.ok(outbox.durable.size > 20, `only ${outbox.durable.size} decisions`);
  });

  it('loses no trigger and repeats none when it crashes just after a snapshot', async () => {
    const straight = await straightRun();
    const snapshot = join(dir, 'crash.snap');
    const outbox = memoryOutbox();
    let commits = 0;
    const crashing = withCommit(fileSource({ path: events, clock: systemClock, chunkBytes: 4096 }), async () => {
      commits++;
      // The snapshot is on disk; the process dies before anything else happens.
      if (commits === 3) throw new Error('crash just after the snapshot');
    });
    await assert.rejects(
      runStream({
        engine: newEngine(outbox.add),
        source: crashing,
        clock: tickingClock(),
        outbox,
        snapshotPath: snapshot,
        snapshotEveryMs: 5000,
      }),
      /crash just after the snapshot/,
    );
    // What was never flushed died with the process.
    outbox.pending.length = 0;
    const crashedAt = snapshotPosition(snapshot);
    assert.ok(crashedAt > 0);

    const restarted = newEngine(outbox.add);
    readSnapshot(restarted, snapshot);
    await runStream({
      engine: restarted,
      source: fileSource({ path: events, clock: systemClock, chunkBytes: 4096 }),
      clock: tickingClock(),
      outbox,
      snapshotPath: snapshot,
      snapshotEveryMs: 5000,
    });
    const lost = [...straight.keys()].filter((id) => !outbox.durable.has(id));
    assert.deepEqual(lost, [], `${lost.length} triggers lost after the crash at position ${crashedAt}`);
    assert.deepEqual([...outbox.durable.entries()].sort(), [...straight.entries()].sort());
  });
});

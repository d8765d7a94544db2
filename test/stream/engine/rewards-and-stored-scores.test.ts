// Rewards ("5 queries to 12580 after the offer → 5 yuan credit"): granted once when the count is
// reached within the window, never twice on a replay or across a restart with a snapshot, and exported
// for BOSS in the documented layout. And the mined results reaching the rules: a rule on a stored churn
// score or segment picks only the subscribers the warehouse says.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Reward } from '../../../src/stream/engine/reward.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';
import { bossRewardColumns, exportRewards, listRewards } from '../../../src/stream/rewards/index.ts';
import { openStreamSession } from '../../../src/stream/stream-session.ts';
import { isAppError } from '../../../src/shared/errors.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { harness, heyuanCells } from '../stream-fixtures.ts';
import { loadStoredModelResults } from '../../../src/stream/state/load-profiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-rewards-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rewardRules = `
quiet_hours: off
control: 0
geofences:
  - id: station
    name: 火车站
    area_type: station
rules:
  - id: station-query-credit
    where: { geofences: [station] }
    behaviour:
      all: [{ peer: "114", within: 30m }]
    message: { text: 现在起拨打12580查询指定信息5次即可获得5元话费 }
    service: "12580"
    reward:
      peer: "12580"
      count: 5
      within: 7d
      kind: credit
      amount: 5
      description: 查询 12580 五次送 5 元话费
`;

const A = '13800000001';
const B = '13800000002';
const C = '13800000003';

describe('rewards of trigger rules', () => {
  it('grants one reward when the count is reached after the offer, and none without an offer or after the window', () => {
    const h = harness(rewardRules);
    const rewards: Reward[] = [];
    h.engine.onReward = (r) => rewards.push(r);
    h.send('2026-03-01 09:00:00', A, 'call_out', '9310-101', '114'); // the offer
    h.send('2026-03-01 09:00:00', C, 'call_out', '9310-101', '114'); // C's offer
    assert.deepEqual(h.fired(), [`station-query-credit ${A} pending`, `station-query-credit ${C} pending`]);
    for (let i = 0; i < 4; i++) h.send(`2026-03-01 1${i}:00:00`, A, 'call_out', '9320-301', '12580');
    assert.equal(rewards.length, 0, 'four queries are not five');
    h.send('2026-03-02 10:00:00', A, 'call_out', '9320-301', '12580');
    assert.equal(rewards.length, 1);
    assert.equal(rewards[0]!.msisdn, A);
    assert.equal(rewards[0]!.amount, 5);
    assert.equal(rewards[0]!.count, 5);
    assert.equal(rewards[0]!.rewardId, `${h.decisions[0]!.decisionId}:reward`);
    h.send('2026-03-02 11:00:00', A, 'call_out', '9320-301', '12580');
    assert.equal(rewards.length, 1, 'the sixth query earns nothing more');
    // B never got the offer: five queries earn nothing.
    for (let i = 0; i < 5; i++) h.send(`2026-03-01 1${i}:30:00`, B, 'call_out', '9320-301', '12580');
    // C queries five times, but after the 7-day window.
    for (let i = 0; i < 5; i++) h.send(`2026-03-09 1${i}:00:00`, C, 'call_out', '9320-301', '12580');
    assert.deepEqual(
      rewards.map((r) => r.msisdn),
      [A],
    );
  });

  it('refuses a credit without an amount and a count that is not a whole number', () => {
    assert.throws(
      () => parseRuleText(rewardRules.replace('      amount: 5\n', ''), 'r.yaml'),
      (e) => isAppError(e) && /amount in yuan/.test(e.message + JSON.stringify(e)),
    );
    assert.throws(() => parseRuleText(rewardRules.replace('count: 5', 'count: 2.5'), 'r.yaml'));
  });

  function writeFiles(): void {
    const lines = [
      { ts: '2026-03-01 09:00:00', msisdn: A, event: 'call_out', cell_id: '9310-101', peer: '114' },
      ...[0, 1, 2, 3, 4, 5].map((i) => ({
        ts: `2026-03-01 1${i}:00:00`,
        msisdn: A,
        event: 'call_out',
        cell_id: '9320-301',
        peer: '12580',
      })),
      ...[0, 1, 2, 3, 4].map((i) => ({
        ts: `2026-03-01 1${i}:10:00`,
        msisdn: B,
        event: 'call_out',
        cell_id: '9320-301',
        peer: '12580',
      })),
    ].sort((x, y) => x.ts.localeCompare(y.ts));
    writeFileSync(
      join(dir, 'events.jsonl'),
      `${lines.map((l) => JSON.stringify({ ...l, duration_s: 30 })).join('\n')}\n`,
    );
    const rows = heyuanCells().cells.map((c) =>
      [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
    );
    writeFileSync(join(dir, 'cells.csv'), `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'rules.yaml'), rewardRules);
  }

  async function run(db: string, options: { snapshot?: string; maxLines?: number; rules?: string } = {}) {
    const warehouse = await Warehouse.open(db);
    try {
      const session = await openStreamSession({
        source: join(dir, 'events.jsonl'),
        clock: fixedClock('2026-03-01T04:00:00Z'),
        warehouse,
        rulesFile: join(dir, options.rules ?? 'rules.yaml'),
        cellsFile: join(dir, 'cells.csv'),
        snapshotPath: options.snapshot,
        maxLines: options.maxLines,
      });
      await session.run();
      return await warehouse.all<{ reward_id: string; msisdn: string; amount: number; status: string }>(
        'SELECT reward_id, msisdn, CAST(amount AS DOUBLE) AS amount, status FROM stream_rewards ORDER BY reward_id',
      );
    } finally {
      warehouse.close();
    }
  }

  it('records the reward once in stream_rewards: a replay of the same events adds none', async () => {
    writeFiles();
    const db = join(dir, 'replay.duckdb');
    const first = await run(db);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.msisdn, A);
    assert.equal(first[0]!.amount, 5);
    assert.equal(first[0]!.status, 'pending');
    const again = await run(db);
    assert.deepEqual(again, first);
  });

  it('keeps the count across a restart from a snapshot, and grants once', async () => {
    writeFiles();
    const db = join(dir, 'restart.duckdb');
    const snapshot = join(dir, 'state.snap');
    // Stops after the offer and two of A's queries (the lines are in time order).
    const part = await run(db, { snapshot, maxLines: 5 });
    assert.equal(part.length, 0);
    const rest = await run(db, { snapshot });
    assert.equal(rest.length, 1, 'the count went on from the snapshot');
    assert.deepEqual(rest, await run(join(dir, 'straight.duckdb')));
  });

  it('exports the pending rewards for BOSS once, in the documented layout', async () => {
    const warehouse = await Warehouse.open(join(dir, 'replay.duckdb'));
    try {
      const clock = fixedClock('2026-03-03T02:00:00Z');
      const preview = await exportRewards(warehouse, { clock, mark: false });
      assert.equal(preview.rows, 1);
      const exported = await exportRewards(warehouse, { clock, mark: true });
      const [header, line, ...rest] = exported.csv.trimEnd().split('\n');
      assert.equal(header, bossRewardColumns.join(','));
      assert.equal(rest.length, 0);
      const fields = line!.split(',');
      assert.equal(fields[1], A);
      assert.equal(fields[2], 'CREDIT');
      assert.equal(fields[3], '5.00');
      assert.equal(fields[5], 'station-query-credit');
      assert.match(fields[6]!, /^2026-03-01 \d\d:\d\d:\d\d$/);
      assert.equal(exported.amountYuan, 5);
      const listed = await listRewards(warehouse, {});
      assert.equal(listed.rewards[0]!.status, 'exported');
      assert.equal(listed.rewards[0]!.export_batch, exported.batch);
      assert.equal((await exportRewards(warehouse, { clock, mark: true })).rows, 0, 'nothing twice');
    } finally {
      warehouse.close();
    }
  });
});

describe('mined results reach the rules', () => {
  const scoreRules = `
quiet_hours: off
control: 0
rules:
  - id: churn-retention
    behaviour:
      all: [{ peer: "114", within: 30m }]
    who:
      scores: [{ model: churn, min: 0.5 }]
    message: { text: 老用户专享 }
  - id: campus-offer
    behaviour:
      all: [{ peer: "114", within: 30m }]
    who:
      segments: [campus-young]
    message: { text: 校园套餐 }
  - id: crbt-propensity
    behaviour:
      all: [{ peer: "114", within: 30m }]
    who:
      scores: [{ model: "propensity:crbt", min: 0.7 }]
    message: { text: 彩铃 }
`;

  it('a rule on the stored churn score, segment or propensity picks only the subscribers the warehouse names', async () => {
    const db = join(dir, 'scores.duckdb');
    const warehouse = await Warehouse.open(db);
    try {
      await warehouse.run(
        `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json)
         VALUES ('churn-old', 'churn', 'gbdt', TIMESTAMP '2026-02-01 00:00:00', 10, 0.7, 0.5, 'holdout', '{}'),
                ('churn-new', 'churn', 'gbdt', TIMESTAMP '2026-03-01 00:00:00', 10, 0.8, 0.5, 'holdout', '{}')`,
      );
      // The newer model decides: A is at risk now, B no longer.
      await warehouse.run(
        `INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES
           (?, 0.2, 'churn-old'), (?, 0.9, 'churn-new'), (?, 0.8, 'churn-old'), (?, 0.1, 'churn-new')`,
        [A, A, B, B],
      );
      await warehouse.run(
        `INSERT INTO mining_segment_members (msisdn, segment, model_version, assigned_at)
         VALUES (?, 'campus-young', 'seg-1', TIMESTAMP '2026-03-01 00:00:00'), (?, 'office', 'seg-1', TIMESTAMP '2026-03-01 00:00:00')`,
        [C, A],
      );
      await warehouse.run(
        `INSERT INTO mining_propensity_scores (msisdn, service_id, score, model_version)
         VALUES (?, 'crbt', 0.95, 'x-1'), (?, 'crbt', 0.3, 'x-1'), (?, 'news', 0.99, 'x-1')`,
        [B, A, C],
      );
    } finally {
      warehouse.close();
    }
    writeFileSync(join(dir, 'scores.yaml'), scoreRules);
    writeFileSync(
      join(dir, 'events.jsonl'),
      `${[A, B, C]
        .map((msisdn, i) =>
          JSON.stringify({
            ts: `2026-03-01 09:0${i}:00`,
            msisdn,
            event: 'call_out',
            cell_id: '9320-301',
            peer: '114',
            duration_s: 30,
          }),
        )
        .join('\n')}\n`,
    );
    const rows = heyuanCells().cells.map((c) =>
      [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
    );
    writeFileSync(join(dir, 'cells.csv'), `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
    const reopened = await Warehouse.open(db);
    try {
      const session = await openStreamSession({
        source: join(dir, 'events.jsonl'),
        clock: fixedClock('2026-03-01T04:00:00Z'),
        warehouse: reopened,
        rulesFile: join(dir, 'scores.yaml'),
        cellsFile: join(dir, 'cells.csv'),
      });
      await session.run();
      const decided = await reopened.all<{ rule_id: string; msisdn: string }>(
        'SELECT rule_id, msisdn FROM stream_outbox ORDER BY rule_id, msisdn',
      );
      assert.deepEqual(
        decided.map((d) => `${d.rule_id} ${d.msisdn}`),
        [`campus-offer ${C}`, `churn-retention ${A}`, `crbt-propensity ${B}`],
      );
    } finally {
      reopened.close();
    }
  });

  it('a reload replaces the scores: a new model moves a subscriber in, one no longer scored drops out', async () => {
    const warehouse = await Warehouse.open(join(dir, 'reload.duckdb'));
    try {
      const h = harness('quiet_hours: off\nrules: []\n');
      await warehouse.run(
        `INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES (?, 0.9, 'v1'), (?, 0.2, 'v1')`,
        [A, B],
      );
      await loadStoredModelResults(warehouse, h.engine);
      const score = (msisdn: string) => h.engine.state.scoreColumn('churn')[h.engine.state.find(msisdn)]!;
      assert.ok(Math.abs(score(A) - 0.9) < 1e-6);
      await warehouse.run('DELETE FROM mining_churn_scores');
      await warehouse.run(`INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES (?, 0.7, 'v2')`, [B]);
      const counts = await loadStoredModelResults(warehouse, h.engine);
      assert.equal(counts.churn, 1);
      assert.ok(Number.isNaN(score(A)), 'A has no score any more');
      assert.ok(Math.abs(score(B) - 0.7) < 1e-6);
    } finally {
      warehouse.close();
    }
  });
});

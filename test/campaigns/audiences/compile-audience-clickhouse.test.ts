// The ClickHouse audience compiler without a cluster: where each kind of condition is read (the facts
// row on its own day, the shards' per-day tables otherwise), that every value from the definition is a
// parameter, and that model scores are taken over every shard (GLOBAL IN). The answers themselves are
// compared with DuckDB's on a real cluster in test/cluster/clickhouse-campaign.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAudienceDefinition } from '../../../src/campaigns/audiences/index.ts';
import { compileAudienceClickHouse } from '../../../src/campaigns/audiences/compile-audience-clickhouse.ts';

const factsDay = { day: '2026-03-07', facts: true, database: 'telmark' };
const otherDay = { day: '2026-03-04', facts: false, database: 'telmark' };
const compile = (definition: unknown, on = factsDay) =>
  compileAudienceClickHouse(parseAudienceDefinition(definition), on);

describe('compileAudienceClickHouse', () => {
  test('on the facts day, the 7- and 30-day usage totals and the holdings come from the facts row', () => {
    const { where, params } = compile({
      all: [{ usage: 'sms_out', withinDays: 7, between: [1, 5] }, { holds: 'crbt' }],
    });
    assert.match(where, /^active = 1 AND/);
    assert.match(where, /sms_out_7d >= \? AND sms_out_7d < \?/);
    assert.match(where, /has\(held_services, \?\)/);
    assert.doesNotMatch(where, /_local/);
    assert.deepEqual(params, [1, 5, 'crbt']);
  });

  test('other windows, cancellations and service use read the shard-local tables over the window', () => {
    const usage = compile({ usage: 'calls_in', withinDays: 3, between: [0, 2] });
    assert.match(
      usage.where,
      /msisdn NOT IN \(SELECT msisdn FROM telmark\.subscriber_usage_day_local WHERE day > subtractDays\(toDate\('2026-03-07'\), \?\)/,
    );
    assert.deepEqual(usage.params, [3, 2]);
    const cancelled = compile({ cancelled: 'music', withinDays: 30 });
    assert.match(cancelled.where, /msisdn IN \(SELECT msisdn FROM telmark\.subscriptions_local WHERE service_id = \?/);
    assert.deepEqual(cancelled.params, ['music', 30]);
    const uses = compile({ uses: 'news', withinDays: 7, atLeast: 2 });
    assert.match(uses.where, /FROM telmark\.agg_subscriber_service_day_local WHERE service_id = \?/);
    assert.deepEqual(uses.params, ['news', 7, 2]);
  });

  test('another day: activity, age and tenure from the row dates, holdings from the spells, every window from the days', () => {
    const { where, params } = compile(
      {
        all: [
          { attribute: 'age', between: [18, 30] },
          { lacks: 'video' },
          { usage: 'sms_out', withinDays: 7, between: [1, null] },
        ],
      },
      otherDay,
    );
    assert.match(where, /^activated_on <= toDate\('2026-03-04'\) AND NOT \(status IN/);
    assert.match(where, /toInt32\(toYear\(toDate\('2026-03-04'\)\) - birth_year\) >= \?/);
    assert.match(where, /msisdn NOT IN \(SELECT msisdn FROM telmark\.subscriptions_local/);
    assert.match(where, /FROM telmark\.subscriber_usage_day_local/);
    assert.doesNotMatch(where, /sms_out_7d|held_services|active = 1/);
    assert.deepEqual(params, [18, 30, 'video', 7, 1]);
  });

  test('values from the definition never reach the SQL text', () => {
    const hostile = "x') OR 1=1 --";
    const { where, params } = compile({
      any: [{ holds: hostile }, { cancelled: hostile, withinDays: 2 }, { uses: hostile, withinDays: 2 }],
    });
    assert.ok(!where.includes('OR 1=1'));
    assert.deepEqual(params, [hostile, hostile, 2, hostile, 2, 1]);
  });

  test('model scores are selected once over the Distributed table and sent to the shards with GLOBAL IN', () => {
    const top = compile({ score: 'propensity', modelVersion: 'v1', service: 'music', top: 10 });
    assert.match(
      top.where,
      /msisdn GLOBAL IN \(SELECT msisdn FROM mining_propensity_scores WHERE model_version = \? AND service_id = \? ORDER BY score DESC, msisdn LIMIT \?\)/,
    );
    assert.doesNotMatch(top.where, /_local/);
    assert.deepEqual(top.params, ['v1', 'music', 10]);
    const atLeast = compile({ score: 'churn', modelVersion: 'v2', atLeast: 0.3 }, otherDay);
    assert.match(
      atLeast.where,
      /msisdn GLOBAL IN \(SELECT msisdn FROM mining_churn_scores WHERE model_version = \? AND score >= \?\)/,
    );
    assert.deepEqual(atLeast.params, ['v2', 0.3]);
  });

  test('a bad day refuses before any query', () => {
    assert.throws(
      () => compile({ all: [] }, { day: "2026-03-04'", facts: false, database: 'telmark' }),
      /must be a date/,
    );
  });
});

// Values reach ClickHouse 18.16 as literals (it has no query parameters): hostile text must stay text.
// The round trip through a real server is in test/cluster/clickhouse-cluster.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bindClickHouse, clickhouseLiteral } from '../../../src/warehouse/clickhouse/clickhouse-literal.ts';
import { cityHash64, shardOf } from '../../../src/warehouse/clickhouse/city-hash.ts';
import { parseClickHouseUrl } from '../../../src/warehouse/clickhouse/clickhouse-url.ts';

describe('ClickHouse literals', () => {
  test('a quote cannot end the string and a backslash cannot escape the closing quote', () => {
    assert.equal(clickhouseLiteral("x' OR 1=1 --"), "'x\\' OR 1=1 --'");
    assert.equal(clickhouseLiteral('a\\'), "'a\\\\'");
    assert.equal(clickhouseLiteral("\\'); DROP TABLE sms; --"), "'\\\\\\'); DROP TABLE sms; --'");
  });

  test('control characters are escaped, so a statement stays on one logical string', () => {
    assert.equal(clickhouseLiteral('a\nb\r\tc\0'), "'a\\nb\\r\\tc\\0'");
  });

  test('numbers, booleans, bigints and null are typed literals; NaN and Infinity are refused', () => {
    assert.equal(clickhouseLiteral(42), '42');
    assert.equal(clickhouseLiteral(-1.5), '-1.5');
    assert.equal(clickhouseLiteral(true), '1');
    assert.equal(clickhouseLiteral(12345678901234567890n), '12345678901234567890');
    assert.equal(clickhouseLiteral(null), 'NULL');
    assert.throws(() => clickhouseLiteral(Number.NaN), /cannot bind NaN/);
    assert.throws(() => clickhouseLiteral(Number.POSITIVE_INFINITY), /cannot bind Infinity/);
  });

  test('binds each ? outside quotes, leaves ? inside quotes and comments alone', () => {
    assert.equal(
      bindClickHouse('SELECT \'?\' AS q, "a?" FROM t WHERE x = ? AND y IN (?, ?) -- why?\n', ["it's", 1, null]),
      "SELECT '?' AS q, \"a?\" FROM t WHERE x = 'it\\'s' AND y IN (1, NULL) -- why?\n",
    );
    assert.equal(bindClickHouse("SELECT 'it\\'s ?', ?", ['x']), "SELECT 'it\\'s ?', 'x'");
  });

  test('a value holding a ? is not bound again', () => {
    assert.equal(bindClickHouse('SELECT ?, ?', ['?', 'b']), "SELECT '?', 'b'");
  });

  test('too few or too many values are an error, never a half-bound statement', () => {
    assert.throws(() => bindClickHouse('SELECT ?, ?', ['a']), /2 placeholder\(s\) but 1 value/);
    assert.throws(() => bindClickHouse('SELECT ?', ['a', 'b']), /1 placeholder\(s\) but 2 value/);
  });
});

describe('the shard of a subscriber', () => {
  test('cityHash64 equals ClickHouse 18.16 on phone numbers (values printed by the server)', () => {
    assert.equal(cityHash64('13800000001'), 13843258357015688360n);
    assert.equal(cityHash64('13912345678'), 15385191333924631571n);
    assert.equal(cityHash64('1234567890123456'), 12049580585293718792n);
  });

  test('shards are the hash modulo the shard count, and lengths outside 9..16 bytes are refused', () => {
    assert.equal(shardOf('13800000001', 2), Number(13843258357015688360n % 2n));
    assert.throws(() => cityHash64('138'), /9 to 16 bytes/);
  });
});

describe('the warehouse address', () => {
  test('lists every shard in order and the database', () => {
    assert.deepEqual(parseClickHouseUrl('clickhouse://127.0.0.1:8123,127.0.0.1:8124/telmark'), {
      shards: [
        { host: '127.0.0.1', port: 8123 },
        { host: '127.0.0.1', port: 8124 },
      ],
      database: 'telmark',
    });
  });

  test('refuses an address without a port or database, saying how to write it', () => {
    assert.throws(() => parseClickHouseUrl('clickhouse://127.0.0.1/telmark'), /is not HOST:PORT/);
    assert.throws(() => parseClickHouseUrl('clickhouse://127.0.0.1:8123'), /not a ClickHouse warehouse address/);
    assert.throws(() => parseClickHouseUrl('clickhouse://h:1/db; DROP'), /not a ClickHouse warehouse address/);
  });
});

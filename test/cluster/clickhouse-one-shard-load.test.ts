// The ClickHouse load on a single shard (the path the scale benchmark's 1-shard figure measures): every
// row goes to the one shard without a shard map, each file's CSV is streamed from disk while the next
// is exported, and DROP PARTITION runs only for partitions the shard holds. Compared with the same feed
// loaded into DuckDB; a re-run after a killed attempt still replaces its leftover rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startClickHouseShards, stopClickHouseShards } from '../../src/cluster/index.ts';
import { defaultGenerateOptions, generateDemoOperator } from '../../src/demo/index.ts';
import { queryMetric } from '../../src/metrics/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { ClickHouseWarehouse, loadDirectoryToClickHouse } from '../../src/warehouse/clickhouse/index.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';
import { clickhouseSkip } from './cluster-cli.ts';

const detail = ['subscribers', 'orders', 'billing', 'sms', 'wap', 'ivr', 'crbt', 'web', 'signalling', 'cells'];
const clock = fixedClock('2026-03-10T00:00:00Z');

describe('ClickHouse load on one shard (real clickhouse-server)', { skip: clickhouseSkip, timeout: 600_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'telmark-one-shard-'));
  const feeds = join(folder, 'feeds');
  const nodes = join(folder, 'nodes');
  let cluster: ClickHouseWarehouse;
  let duck: Warehouse;

  before(async () => {
    await generateDemoOperator({
      ...defaultGenerateOptions,
      subscribers: 400,
      days: 3,
      outDir: feeds,
      signallingDays: [0, 1, 2],
      signallingPerSubscriber: 8,
    });
    duck = await Warehouse.open(join(folder, 'duck.duckdb'));
    await loadDirectory(duck, feeds, { clock });
    const started = await startClickHouseShards(nodes, 1);
    cluster = await ClickHouseWarehouse.open(started.warehouse);
    await loadDirectoryToClickHouse(cluster, feeds, { clock });
  });
  after(async () => {
    duck?.close();
    await stopClickHouseShards(nodes);
    rmSync(folder, { recursive: true, force: true });
  });

  test('every detail table holds the rows DuckDB holds, and KPIs over them are equal', async () => {
    for (const table of detail)
      assert.equal(
        await cluster.scalar(`SELECT count() FROM ${table}`),
        await duck.scalar(`SELECT count(*) FROM ${table}`),
        table,
      );
    assert.ok((await cluster.scalar('SELECT count() FROM signalling')) > 5000, 'the feed has signalling');
    for (const [name, by] of [
      ['orders', ['channel']],
      ['calls_12580', ['area_type']],
      ['subscribers', ['county']],
    ] as const) {
      const onCluster = await queryMetric(cluster, name, { by: [...by] });
      const onDuck = await queryMetric(duck, name, { by: [...by] });
      assert.deepEqual(onCluster.rows, onDuck.rows, name);
    }
  });

  test('a re-run after an attempt killed mid-file drops its leftover rows and skips the rest', async () => {
    const file = await cluster.one<{ file_id: number; file_name: string }>(
      "SELECT file_id, file_name FROM load_files WHERE feed = 'signalling' ORDER BY file_name LIMIT 1",
    );
    const expected = await cluster.scalar('SELECT count() FROM signalling');
    // A kill between the rows and the registry: the file's rows there (twice over), its registry row not.
    await cluster.runOn(
      cluster.coordinator,
      'INSERT INTO signalling_local SELECT * FROM signalling_local WHERE file_id = ?',
      [file!.file_id],
    );
    await cluster.runOn(cluster.coordinator, 'ALTER TABLE load_files DROP PARTITION ?', [file!.file_name]);
    assert.ok((await cluster.scalar('SELECT count() FROM signalling')) > expected);
    const summary = await loadDirectoryToClickHouse(cluster, feeds, { clock });
    const outcomes = summary.files.map((f) => `${f.fileName} ${f.outcome}`);
    assert.ok(outcomes.includes(`${file!.file_name} loaded`), outcomes.join('\n'));
    assert.equal(summary.files.filter((f) => f.outcome !== 'skipped').length, 1, outcomes.join('\n'));
    assert.equal(await cluster.scalar('SELECT count() FROM signalling'), expected);
    assert.equal(
      await cluster.scalar('SELECT count() FROM load_files'),
      await duck.scalar('SELECT count(*) FROM load_files WHERE file_id > 0'),
    );
  });
});

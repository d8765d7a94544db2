// The detectors' DuckDB texts turned into ClickHouse's words: every slice family and group source, and
// the grouping keys read from the SELECT list. (That the translated queries give DuckDB's answers on a
// real cluster is test/cluster/clickhouse-campaign.test.ts.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectorSqlForClickHouse } from '../../src/anomalies/warehouse/detector-sql-clickhouse.ts';
import { segmentGroupSources } from '../../src/anomalies/warehouse/group-change.ts';
import { sliceFamilies } from '../../src/anomalies/warehouse/kpi-slices.ts';

describe('detector SQL for ClickHouse', () => {
  test('every slice family and group source translates, with no DuckDB word left', () => {
    for (const sql of [...sliceFamilies.map((f) => f.sql), ...segmentGroupSources.map((g) => g.sql)]) {
      const text = detectorSqlForClickHouse(sql);
      assert.doesNotMatch(text, /VARCHAR|::|GROUP BY ALL/, sql);
      assert.match(text, /toString\(day\) AS day/, sql);
      assert.match(text, /GROUP BY day, /, sql);
    }
  });

  test('the grouping keys are the SELECT items that are not aggregates, by alias', () => {
    assert.equal(
      detectorSqlForClickHouse(
        `SELECT CAST(day AS VARCHAR) AS day, brand AS grp, coalesce(age_band, 'unknown') AS part,
          sum(subscribers_active)::DOUBLE AS members
        FROM agg_segment_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
      ),
      `SELECT toString(day) AS day, brand AS grp, coalesce(age_band, 'unknown') AS part,
          toFloat64(sum(subscribers_active)) AS members
        FROM agg_segment_day WHERE day BETWEEN ? AND ? GROUP BY day, grp, part`,
    );
    assert.equal(
      detectorSqlForClickHouse('SELECT CAST(min(day) AS VARCHAR) AS first, CAST(max(day) AS VARCHAR) AS last FROM t'),
      'SELECT toString(min(day)) AS first, toString(max(day)) AS last FROM t',
    );
  });

  test('a DuckDB word it does not know stops the query instead of sending it', () => {
    assert.throws(
      () => detectorSqlForClickHouse('SELECT count(*) FILTER (WHERE x) AS n FROM t'),
      /DuckDB words left for ClickHouse/,
    );
  });
});

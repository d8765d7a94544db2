// The generic detector on real labelled series: NAB's development set in ../shared (present in CI
// beside the clone, read-only), scored by its independent scorer at the detector's fixed threshold.
// The full 33-series run with the table is `npm run bench -- detect`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { alertThreshold, detectSeries, readSeriesCsv } from '../../src/anomalies/index.ts';

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const data = join(shared, 'data', 'nab-dev');
const scorer = join(shared, 'tools', 'nab-score');
const available = existsSync(data) && existsSync(scorer);

describe('series detector on NAB development series', { skip: available ? false : `${data} not found` }, () => {
  const out = mkdtempSync(join(tmpdir(), 'telmark-nab-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  function run(category: string): number {
    mkdirSync(join(out, category), { recursive: true });
    let alerts = 0;
    for (const file of readdirSync(join(data, category)).filter((f) => f.endsWith('.csv'))) {
      const series = readSeriesCsv(join(data, category, file));
      const result = detectSeries(series.timesSec, series.values);
      const lines = ['timestamp,anomaly_score'];
      for (let i = 0; i < series.times.length; i++) {
        lines.push(`${series.times[i]},${result.scores[i]}`);
        // The probationary first 15 % (at most 750 rows) is NAB's learning period.
        if (i >= Math.min(Math.floor(0.15 * series.times.length), 750)) alerts += result.alerts[i] as number;
      }
      writeFileSync(join(out, category, file), `${lines.join('\n')}\n`);
    }
    return alerts;
  }

  it('scores at least 55 (standard profile, fixed threshold) on the AWS and artificial series', () => {
    run('realAWSCloudwatch');
    run('artificialWithAnomaly');
    const report = JSON.parse(
      execFileSync(
        scorer,
        [
          '--results',
          out,
          '--labels',
          join(data, 'windows.json'),
          '--data',
          data,
          '--profile',
          'standard',
          '--threshold',
          String(alertThreshold),
          '--json',
          'realAWSCloudwatch',
          'artificialWithAnomaly',
        ],
        { encoding: 'utf8' },
      ),
    ) as { profiles: { standard: { score: number; windows_hit: number } } };
    console.log(
      `NAB standard on 23 series: ${report.profiles.standard.score.toFixed(2)}, windows hit ${report.profiles.standard.windows_hit}/36`,
    );
    assert.ok(report.profiles.standard.score >= 55, `score ${report.profiles.standard.score}`);
  });

  it('raises no alert on the series without anomalies', () => {
    assert.equal(run('artificialNoAnomaly'), 0);
  });
});

// The generic detector on real labelled series: NAB's development set in ../shared (present in CI
// beside the clone, read-only), scored by its independent scorer at the detector's fixed threshold.
// The per-series table is `npm run bench -- detect`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { alertThreshold, detectSeries, readSeriesCsv } from '../../src/anomalies/index.ts';

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const data = join(shared, 'data', 'nab-dev');
const scorer = join(shared, 'tools', 'nab-score');
const available = existsSync(data) && existsSync(scorer);
const scoredCategories = ['realAWSCloudwatch', 'artificialWithAnomaly', 'realTweets'];

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

  function score(series: string[]): { score: number; windows_hit: number; windows_missed: number } {
    const listFile = join(out, 'series.txt');
    writeFileSync(listFile, `${series.join('\n')}\n`);
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
          '--series-file',
          listFile,
        ],
        { encoding: 'utf8' },
      ),
    ) as { profiles: { standard: { score: number; windows_hit: number; windows_missed: number } } };
    return report.profiles.standard;
  }

  it('scores at least 65 on the 33 labelled series (standard profile, fixed threshold), and 63 on either half', () => {
    for (const category of scoredCategories) run(category);
    const labels = JSON.parse(readFileSync(join(data, 'windows.json'), 'utf8')) as Record<string, unknown>;
    // The fixed split of bench/support/nab-breakdown.ts: series sorted by key, alternate positions.
    const keys = Object.keys(labels)
      .filter((key) => scoredCategories.includes(key.split('/')[0] as string))
      .sort();
    const all = score(keys);
    const tuning = score(keys.filter((_, i) => i % 2 === 0));
    const heldOut = score(keys.filter((_, i) => i % 2 === 1));
    console.log(
      `NAB standard: all ${all.score.toFixed(2)} (windows hit ${all.windows_hit}/${all.windows_hit + all.windows_missed}), tuning half ${tuning.score.toFixed(2)}, held-out half ${heldOut.score.toFixed(2)}`,
    );
    assert.ok(all.score >= 65, `score ${all.score}`);
    assert.ok(tuning.score >= 63 && heldOut.score >= 63, `halves ${tuning.score} / ${heldOut.score}`);
  });

  it('raises no alert on the series without anomalies', () => {
    assert.equal(run('artificialNoAnomaly'), 0);
  });
});

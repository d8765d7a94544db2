import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benjaminiHochberg, cusumAlarms, judgeDay } from '../../src/anomalies/index.ts';

describe('daily baseline, CUSUM and the false discovery rate', () => {
  it('a steady weekly rhythm is expected, and a day far off it is not', () => {
    const weekly = [120, 125, 118, 130, 140, 60, 55];
    const values = Float64Array.from({ length: 42 }, (_, i) => (weekly[i % 7] as number) + ((i * 7) % 5) - 2);
    for (let t = 14; t < 42; t++) {
      const j = judgeDay(values, t, { count: true });
      assert.ok(j && Math.abs(j.z) < 3, `day ${t}: z ${j?.z}`);
    }
    values[40] = 400;
    const j = judgeDay(values, 40, { count: true });
    assert.ok(j && j.z > 10 && j.pValue < 1e-10);
  });

  it('does not judge a day without a week of history or with its value missing', () => {
    const values = Float64Array.from({ length: 10 }, () => 5);
    assert.equal(judgeDay(values, 6, { count: true }), undefined);
    values[8] = Number.NaN;
    assert.equal(judgeDay(values, 8, { count: true }), undefined);
  });

  it('CUSUM finds a sustained small shift that no single day shows, and ignores one spike', () => {
    const z = Array.from({ length: 40 }, (_, i) => (i >= 20 ? 1.8 : 0));
    const alarms = cusumAlarms(z);
    assert.ok(alarms.length >= 1 && alarms.every((a) => a.direction === 1 && a.index >= 20));
    assert.ok((alarms[0]?.index ?? 0) >= 22 && (alarms[0]?.index ?? 0) <= 28);
    const spike = Array.from({ length: 40 }, (_, i) => (i === 20 ? 50 : 0));
    assert.deepEqual(cusumAlarms(spike), []);
  });

  it('Benjamini–Hochberg rejects the strong signals among many nulls, and nothing among nulls alone', () => {
    const nulls = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    assert.equal(benjaminiHochberg(nulls, 0.01).size, 0);
    const mixed = [...nulls, 1e-9, 2e-8, 3e-7];
    const rejected = benjaminiHochberg(mixed, 0.01);
    assert.deepEqual(
      [...rejected].sort((a, b) => a - b),
      [1000, 1001, 1002],
    );
  });
});

// The calendar arithmetic behind the comparison periods and the cut weeks of the trends.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addMonths, partialPeriods, previousMonths, previousRange } from '../../src/analysis/date-ranges.ts';

describe('date ranges', () => {
  test('the previous period has the same length and ends the day before', () => {
    assert.deepEqual(previousRange('2026-03-08', '2026-03-14'), { from: '2026-03-01', to: '2026-03-07' });
    assert.deepEqual(previousRange('2026-03-01', '2026-03-01'), { from: '2026-02-28', to: '2026-02-28' });
  });

  test('bills compare with the same number of calendar months before', () => {
    assert.deepEqual(previousMonths('2026-03-05', '2026-03-20'), { from: '2026-02-01', to: '2026-02-28' });
    assert.deepEqual(previousMonths('2026-01-10', '2026-02-03'), { from: '2025-11-01', to: '2025-12-31' });
    assert.equal(addMonths('2026-12-15', 1), '2027-01-01');
  });

  test('weeks and months the range cuts are found with the days they keep', () => {
    // 2026-03-01 is a Sunday: its week began on Monday 2026-02-23.
    const weeks = partialPeriods('week', ['2026-02-23', '2026-03-02', '2026-03-23'], '2026-03-01', '2026-03-25');
    assert.deepEqual(weeks, [
      { period: '2026-02-23', days: 1, of: 7, firstDay: '2026-03-01' },
      { period: '2026-03-23', days: 3, of: 7, firstDay: '2026-03-23' },
    ]);
    assert.deepEqual(partialPeriods('month', ['2026-02-01'], '2026-02-01', '2026-02-28'), []);
    assert.deepEqual(partialPeriods('day', ['2026-03-01'], '2026-03-01', '2026-03-01'), []);
  });
});

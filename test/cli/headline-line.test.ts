// The headline lines `telmark analyze overview` and `telmark demo` print.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Headline } from '../../src/analysis/index.ts';
import { formatHeadlineValue, headlineLine } from '../../src/cli/headline-line.ts';

const headline = (over: Partial<Headline>): Headline => ({
  key: 'k',
  label: { zh: '增值业务收入', en: 'VAS revenue' },
  definition: { zh: '', en: '' },
  value: 1234567.891,
  unit: 'yuan',
  ...over,
});

describe('headline lines in the terminal', () => {
  test('money has ¥, two decimals and thousands separators', () => {
    assert.equal(headlineLine(headline({})), '  增值业务收入 VAS revenue: ¥1,234,567.89');
  });

  test('a label spelt alike in both languages is printed once', () => {
    const line = headlineLine(headline({ label: { zh: 'ARPU', en: 'ARPU' }, value: 61.5 }));
    assert.equal(line, '  ARPU: ¥61.50');
  });

  test('counts are grouped, rates in percent, changes by their kind', () => {
    assert.equal(
      headlineLine(headline({ label: { zh: '活跃用户', en: 'Active' }, unit: 'count', value: 19876, change: 0.021 })),
      '  活跃用户 Active: 19,876 (+2.1 %)',
    );
    assert.equal(
      headlineLine(headline({ unit: 'ratio', value: 0.1234, change: -0.012, changeKind: 'points' })),
      '  增值业务收入 VAS revenue: 12.3 % (-1.2 pp)',
    );
    assert.equal(
      headlineLine(headline({ unit: 'count', value: -1200, change: -3400, changeKind: 'difference' })),
      '  增值业务收入 VAS revenue: -1,200 (-3,400)',
    );
    assert.equal(formatHeadlineValue(null, 'yuan'), '–');
  });
});

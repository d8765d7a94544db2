import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeRuleTable } from '../../src/cli/rule-output.ts';
import { formatRows } from '../../src/cli/output.ts';
import { buildBasketSet, mineRuleTable, ruleTableToRules, ruleToRow } from '../../src/mining/rules/index.ts';
import { createSeededRandom } from '../../src/mining/shared/seeded-random.ts';

// Names that need care: commas and quotes (CSV), backslashes (JSON), wide characters (table).
const names = ['milk', 'bread', 'a, b', 'say "hi"', 'back\\slash', '彩铃', '手机报', 'x'];

function mined() {
  const random = createSeededRandom(7);
  const baskets = Array.from({ length: 300 }, () => names.filter((_, i) => random.next() < 0.7 / (1 + i * 0.3)));
  return mineRuleTable(buildBasketSet(baskets), { minSupport: 0.02, minConfidence: 0.3, maxConsequent: 2 });
}

function written(format: 'csv' | 'json' | 'table', limit?: number): string {
  const chunks: string[] = [];
  writeRuleTable(mined().rules, format, (chunk) => chunks.push(chunk), limit);
  return chunks.join('');
}

describe('writeRuleTable', () => {
  const { rules } = mined();
  const rows = ruleTableToRules(rules).map(ruleToRow);

  it('finds rules with confidence 1 (conviction null) among others', () => {
    assert.ok(rules.size > 50);
    assert.ok(rows.some((row) => row.conviction === null));
  });

  for (const format of ['csv', 'json', 'table'] as const) {
    it(`writes the same ${format} as formatting one row object per rule`, () => {
      assert.equal(written(format), `${formatRows(rows, format)}\n`);
      assert.equal(written(format, 5), `${formatRows(rows.slice(0, 5), format)}\n`);
    });
  }

  it('writes nothing for csv, [] for json and (no rows) for a table when no rule passes', () => {
    const none = mineRuleTable(buildBasketSet([['a'], ['b']]), { minSupport: 0.5, minConfidence: 0.5 }).rules;
    const text = (format: 'csv' | 'json' | 'table') => {
      const chunks: string[] = [];
      writeRuleTable(none, format, (chunk) => chunks.push(chunk));
      return chunks.join('');
    };
    assert.equal(text('csv'), '');
    assert.equal(text('json'), '[]\n');
    assert.equal(text('table'), '(no rows)\n');
  });
});

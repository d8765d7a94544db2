import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteWriter } from '../../src/cli/byte-writer.ts';
import { writeRuleTable } from '../../src/cli/rule-output.ts';
import { formatRows } from '../../src/cli/output.ts';
import { buildBasketSet, mineRuleTable, ruleTableToRules, ruleToRow } from '../../src/mining/rules/index.ts';
import { createSeededRandom } from '../../src/shared/seeded-random.ts';

// Names that need care: commas and quotes (CSV), backslashes (JSON), wide characters (table).
const names = ['milk', 'bread', 'a, b', 'say "hi"', 'back\\slash', '彩铃', '手机报', 'x'];

function mined() {
  const random = createSeededRandom(7);
  const baskets = Array.from({ length: 300 }, () => names.filter((_, i) => random.next() < 0.7 / (1 + i * 0.3)));
  return mineRuleTable(buildBasketSet(baskets), { minSupport: 0.02, minConfidence: 0.3, maxConsequent: 2 });
}

function written(format: 'csv' | 'json' | 'table', limit?: number, textRowsUpTo?: number): string {
  const chunks: Uint8Array[] = [];
  writeRuleTable(mined().rules, (chunk) => chunks.push(chunk), { format, limit, textRowsUpTo });
  return Buffer.concat(chunks).toString('utf8');
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

  it('writes the same csv as bytes and as one string a row', () => {
    assert.equal(written('csv', undefined, 0), `${formatRows(rows, 'csv')}\n`);
    assert.equal(written('csv', 5, 0), `${formatRows(rows.slice(0, 5), 'csv')}\n`);
    assert.equal(written('csv', undefined, 0), written('csv', undefined, rules.size));
  });

  it('writes nothing for csv, [] for json and (no rows) for a table when no rule passes', () => {
    const none = mineRuleTable(buildBasketSet([['a'], ['b']]), { minSupport: 0.5, minConfidence: 0.5 }).rules;
    const text = (format: 'csv' | 'json' | 'table') => {
      const chunks: Uint8Array[] = [];
      writeRuleTable(none, (chunk) => chunks.push(chunk), { format });
      return Buffer.concat(chunks).toString('utf8');
    };
    assert.equal(text('csv'), '');
    assert.equal(text('json'), '[]\n');
    assert.equal(text('table'), '(no rows)\n');
  });

  it('writes a number rounded to six decimals as String does', () => {
    const random = createSeededRandom(3);
    const values = [
      0,
      -0,
      1,
      -1,
      0.5,
      1e-6,
      -1e-6,
      4e-7,
      6e-7,
      0.1 + 0.2,
      2.5e-7,
      123456.7891234,
      -0.0625,
      1e9 + 0.000001,
    ];
    for (let i = 0; i < 20_000; i++) {
      const scale = 10 ** (random.int(12) - 6);
      values.push((random.next() - 0.3) * scale, Math.round(random.next() * 1e6) / 1e6);
    }
    const chunks: Uint8Array[] = [];
    const writer = new ByteWriter((chunk) => chunks.push(chunk));
    const rounded = values.map((x) => Math.round(x * 1e6) / 1e6);
    for (const x of rounded) {
      writer.sixDecimals(x);
      writer.text('\n');
    }
    writer.flush();
    assert.deepEqual(Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1), rounded.map(String));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compileAudience } from '../../../src/campaigns/audiences/index.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { openAudienceWarehouse } from './audience-warehouse.ts';

let w: Warehouse;
before(async () => {
  w = await openAudienceWarehouse();
});
after(() => w.close());

async function members(definition: unknown, asOf?: string): Promise<number[]> {
  const { sql, params } = compileAudience(definition, asOf ? { asOf } : {});
  const rows = await w.all<{ msisdn: string }>(`SELECT msisdn FROM (${sql}) ORDER BY msisdn`, params);
  return rows.map((r) => Number(r.msisdn.slice(-1)));
}

describe('compileAudience on a warehouse worked out on paper', () => {
  const cases: [string, unknown, number[]][] = [
    ['an empty all is the whole active base (the closed subscriber left out)', { all: [] }, [1, 2, 3, 4]],
    ['brand in', { attribute: 'brand', in: ['mzone'] }, [1, 2]],
    [
      'county and plan',
      {
        all: [
          { attribute: 'county', in: ['源城'] },
          { attribute: 'plan', in: ['P1', 'P2'] },
        ],
      },
      [1, 3],
    ],
    ['gender', { attribute: 'gender', in: ['F'] }, [1, 4]],
    ['age under 25 (high exclusive)', { attribute: 'age', between: [null, 25] }, [1, 2]],
    ['age 23 exactly (low inclusive)', { attribute: 'age', between: [23, 24] }, [2]],
    ['tenure under a year', { attribute: 'tenure_months', between: [0, 12] }, [2]],
    ['ARPU of the latest bill', { attribute: 'arpu', between: [30, null] }, [2, 3]],
    ['not ARPU >= 30 keeps the subscriber without a bill', { not: { attribute: 'arpu', between: [30, null] } }, [1, 4]],
    ['area type of the most-seen cell', { attribute: 'area_type', in: ['campus'] }, [1]],
    ['not campus keeps those never seen', { not: { attribute: 'area_type', in: ['campus'] } }, [2, 3, 4]],
    ['holds', { holds: 'music' }, [1]],
    ['lacks', { lacks: 'music' }, [2, 3, 4]],
    ['cancelled within 30 days', { cancelled: 'music', withinDays: 30 }, [2]],
    ['cancelled within 3 days', { cancelled: 'music', withinDays: 3 }, []],
    ['uses a service', { uses: 'music', withinDays: 7 }, [1]],
    ['uses a service at least 4 times', { uses: 'music', withinDays: 7, atLeast: 4 }, []],
    ['usage at least 5 SMS in 30 days', { usage: 'sms_out', withinDays: 30, between: [5, null] }, [1]],
    ['usage under 5 SMS keeps the silent', { usage: 'sms_out', withinDays: 30, between: [null, 5] }, [2, 3, 4]],
    ['usage between 1 and 5', { usage: 'sms_out', withinDays: 30, between: [1, 5] }, [3]],
    ['segment band', { segment: 'age_band', in: ['<25'] }, [1, 2]],
    ['ARPU band', { segment: 'arpu_band', in: ['100-200', '30-60'] }, [2, 3]],
    ['top 2 churn scores', { score: 'churn', modelVersion: 'churn-v1', top: 2 }, [1, 3]],
    ['churn score at least 0.5', { score: 'churn', modelVersion: 'churn-v1', atLeast: 0.5 }, [1, 2, 3]],
    ['top propensity for a service', { score: 'propensity', modelVersion: 'prop-v2', service: 'music', top: 1 }, [2]],
    ['rule: holds the left, lacks the right', { rule: { lhs: ['crbt'], rhs: ['news'] } }, [4]],
    ['any and not', { any: [{ attribute: 'brand', in: ['mzone'] }, { not: { holds: 'crbt' } }] }, [1, 2]],
    [
      'nested groups',
      {
        all: [
          { any: [{ attribute: 'brand', in: ['mzone'] }, { holds: 'news' }] },
          { not: { attribute: 'county', in: ['东源'] } },
        ],
      },
      [1, 3],
    ],
  ];
  for (const [name, definition, expected] of cases) {
    test(name, async () => {
      assert.deepEqual(await members(definition), expected);
    });
  }

  test('an earlier day counts those active then, and holdings then', async () => {
    assert.deepEqual(await members({ all: [] }, '2026-01-15'), [1, 2, 3, 4, 5]);
    assert.deepEqual(await members({ holds: 'crbt' }, '2026-01-15'), [3, 4, 5]);
    assert.deepEqual(await members({ attribute: 'age', between: [null, 22] }, '2025-12-31'), [1]);
  });

  test('values are parameters: the SQL text holds none of them', () => {
    const { sql, params } = compileAudience({ all: [{ attribute: 'county', in: ['源城'] }, { holds: 'music' }] });
    assert.ok(!sql.includes('源城') && !sql.includes('music'));
    assert.deepEqual(params, ['源城', 'music']);
    const dated = compileAudience({ holds: 'music' }, { asOf: '2026-03-01' });
    assert.deepEqual(dated.params, ['2026-03-01', '2026-03-01', 'music', '2026-03-01', '2026-03-01']);
  });
});

describe('validation names the path in the tree', () => {
  const problems: [unknown, RegExp][] = [
    [
      { all: [{ attribute: 'brand', in: ['mzone'] }, { holds: 'x' }, { attribute: 'age', between: ['x', 3] }] },
      /all\[2\]\.between\[0\]: must be a number/,
    ],
    [{ any: [] }, /any: must hold at least one condition/],
    [{ not: { attribute: 'shoe_size', in: ['42'] } }, /not\.attribute: must be one of brand/],
    [{ attribute: 'age', in: ['20'] }, /in: age is a number: use "between"/],
    [{ attribute: 'brand', between: [1, 2] }, /between: brand takes a list of values/],
    [{ attribute: 'age', between: [30, 20] }, /between: low 30 must be below high 20/],
    [{ all: [{ holds: 'a', extra: 1 }] }, /all\[0\]: unknown field "extra"/],
    [{ all: [{ colour: 'red' }] }, /all\[0\]: is not a condition/],
    [{ score: 'churn', modelVersion: 'v', top: 3, atLeast: 0.2 }, /exactly one of "top"/],
    [{ score: 'propensity', modelVersion: 'v', top: 3 }, /service: a propensity score needs the service/],
    [{ cancelled: 'music' }, /withinDays: must be a number/],
    ['brand', /\(root\): must be an object/],
  ];
  for (const [definition, expected] of problems) {
    test(`rejects ${JSON.stringify(definition)}`, () => {
      assert.throws(
        () => compileAudience(definition),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'INPUT_INVALID');
          assert.match(error.message, expected);
          return true;
        },
      );
    });
  }

  test('every problem is reported at once', () => {
    assert.throws(
      () => compileAudience({ all: [{ holds: '' }, { attribute: 'age', between: [null, 'old'] }] }),
      /all\[0\]\.holds: must not be empty; all\[1\]\.between\[1\]: must be a number/,
    );
  });

  test('a bad asOf is refused', () => {
    assert.throws(() => compileAudience({ all: [] }, { asOf: "2026-01-01' OR 1=1" }), /asOf/);
  });
});

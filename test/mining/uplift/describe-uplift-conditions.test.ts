// Conditions as people read them: catalogue labels in both languages, never a raw code in Chinese.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeUpliftConditions, matchesConditions } from '../../../src/mining/uplift/index.ts';

test('categories show their catalogue labels in Chinese and English', () => {
  const text = describeUpliftConditions([
    { attribute: 'brand', in: ['mzone', 'easyown'] },
    { attribute: 'plan', in: ['MZ18'] },
    { attribute: 'gender', in: ['F'] },
    { attribute: 'area_type', in: ['campus'] },
    { attribute: 'county', in: ['龙川'] },
  ]);
  assert.equal(
    text.zh,
    '品牌 ∈ {动感地带、神州行} 且 套餐 = 动感地带学生卡 且 性别 = 女 且 常驻区域类型 = 校园 且 区县 = 龙川',
  );
  assert.equal(
    text.en,
    'brand in {M-Zone, Easyown} and plan = MZ18 and gender = female and area type = campus and county = Longchuan',
  );
  assert.doesNotMatch(text.zh, /[a-z]{3,}/, 'no raw codes in Chinese');
});

test('numbers read as bounds, and labels given by the caller win', () => {
  const text = describeUpliftConditions(
    [
      { attribute: 'age', between: [null, 25] },
      { attribute: 'tenure_months', between: [12, 36] },
      { attribute: 'arpu', between: [60, null] },
      { attribute: 'plan', in: ['X9'] },
    ],
    { plan: { X9: { zh: '校园套餐', en: 'campus plan' } } },
  );
  assert.equal(text.zh, '年龄 < 25 且 12 ≤ 在网月数 < 36 且 ARPU(元) ≥ 60 且 套餐 = 校园套餐');
  assert.equal(text.en, 'age < 25 and 12 ≤ tenure (months) < 36 and ARPU (¥) ≥ 60 and plan = campus plan');
  assert.deepEqual(describeUpliftConditions([]), { zh: '全部', en: 'everyone' });
});

test('a sample matches as SQL would: bounds low-inclusive, high-exclusive, missing matches nothing', () => {
  const conditions = [
    { attribute: 'age', between: [18, 25] as [number, number] },
    { attribute: 'brand', in: ['mzone'] },
  ];
  assert.equal(matchesConditions(conditions, { age: 18, brand: 'mzone' }), true);
  assert.equal(matchesConditions(conditions, { age: 25, brand: 'mzone' }), false);
  assert.equal(matchesConditions(conditions, { age: null, brand: 'mzone' }), false);
  assert.equal(matchesConditions(conditions, { age: 20, brand: 'gotone' }), false);
});

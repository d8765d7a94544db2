// Conditions as people read them, in both languages, with catalogue labels rather than codes:
// 年龄 < 25 且 品牌 = 动感地带 / age < 25 and brand = M-Zone.
import { demoPlans } from '../../demo/index.ts';
import { areaTypeLabels, brandLabels } from '../../metrics/index.ts';
import type { Bilingual, UpliftCondition } from './uplift-types.ts';

const attributeLabels: Record<string, Bilingual> = {
  brand: { zh: '品牌', en: 'brand' },
  county: { zh: '区县', en: 'county' },
  plan: { zh: '套餐', en: 'plan' },
  gender: { zh: '性别', en: 'gender' },
  area_type: { zh: '常驻区域类型', en: 'area type' },
  age: { zh: '年龄', en: 'age' },
  tenure_months: { zh: '在网月数', en: 'tenure (months)' },
  arpu: { zh: 'ARPU(元)', en: 'ARPU (¥)' },
};

const countyNames: Record<string, string> = {
  源城: 'Yuancheng',
  东源: 'Dongyuan',
  和平: 'Heping',
  龙川: 'Longchuan',
  紫金: 'Zijin',
  连平: 'Lianping',
};

const builtInValueLabels: Record<string, Record<string, Bilingual>> = {
  brand: brandLabels,
  area_type: areaTypeLabels,
  gender: { M: { zh: '男', en: 'male' }, F: { zh: '女', en: 'female' }, U: { zh: '未知', en: 'unknown' } },
  plan: Object.fromEntries(demoPlans.map((p) => [p.planId, { zh: p.name, en: p.planId }])),
  county: Object.fromEntries(Object.entries(countyNames).map(([zh, en]) => [zh, { zh, en }])),
};

export type ValueLabels = Record<string, Record<string, Bilingual>>;

export function describeUpliftConditions(conditions: readonly UpliftCondition[], extra: ValueLabels = {}): Bilingual {
  if (conditions.length === 0) return { zh: '全部', en: 'everyone' };
  const parts = conditions.map((c) => describeCondition(c, extra));
  return { zh: parts.map((p) => p.zh).join(' 且 '), en: parts.map((p) => p.en).join(' and ') };
}

function describeCondition(condition: UpliftCondition, extra: ValueLabels): Bilingual {
  const name = attributeLabels[condition.attribute] ?? { zh: condition.attribute, en: condition.attribute };
  if ('in' in condition) {
    const labels = condition.in.map(
      (v) => extra[condition.attribute]?.[v] ?? builtInValueLabels[condition.attribute]?.[v] ?? { zh: v, en: v },
    );
    if (labels.length === 1) return { zh: `${name.zh} = ${labels[0]!.zh}`, en: `${name.en} = ${labels[0]!.en}` };
    return {
      zh: `${name.zh} ∈ {${labels.map((l) => l.zh).join('、')}}`,
      en: `${name.en} in {${labels.map((l) => l.en).join(', ')}}`,
    };
  }
  const [low, high] = condition.between;
  const show = (v: number) => String(v);
  if (low !== null && high !== null)
    return {
      zh: `${show(low)} ≤ ${name.zh} < ${show(high)}`,
      en: `${show(low)} ≤ ${name.en} < ${show(high)}`,
    };
  if (high !== null) return { zh: `${name.zh} < ${show(high)}`, en: `${name.en} < ${show(high)}` };
  if (low !== null) return { zh: `${name.zh} ≥ ${show(low)}`, en: `${name.en} ≥ ${show(low)}` };
  return { zh: `${name.zh}已知`, en: `${name.en} known` };
}

/** True when a sample's features satisfy every condition (a missing value satisfies none, as in SQL). */
export function matchesConditions(
  conditions: readonly UpliftCondition[],
  features: Record<string, string | number | null>,
): boolean {
  for (const c of conditions) {
    const v = features[c.attribute];
    if (v === null || v === undefined) return false;
    if ('in' in c) {
      if (!c.in.includes(String(v))) return false;
    } else {
      const [low, high] = c.between;
      if (typeof v !== 'number') return false;
      if ((low !== null && v < low) || (high !== null && v >= high)) return false;
    }
  }
  return true;
}

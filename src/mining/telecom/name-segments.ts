// Segments named from their profile in both languages (年轻动感地带高流量 / young M-Zone heavy data)
// instead of #0, #1, and each trait told in words with its unit (月账单 高:¥85.20,全体 ¥52.10).
// Names are built from the strongest traits; two segments never share a name.
import type { SegmentTrait } from '../segments/index.ts';
import { formatFeatureValue, labelFeature } from './feature-labels.ts';

interface Bilingual {
  zh: string;
  en: string;
}

/** Words for a numeric feature that is high or low in the segment. */
const numericWords: Record<string, { high: Bilingual; low: Bilingual }> = {
  age: { high: { zh: '年长', en: 'older' }, low: { zh: '年轻', en: 'young' } },
  tenure_days: { high: { zh: '老用户', en: 'long-standing' }, low: { zh: '新入网', en: 'newly joined' } },
  plan_fee: { high: { zh: '高套餐', en: 'premium plan' }, low: { zh: '低套餐', en: 'basic plan' } },
  sms_per_day: { high: { zh: '短信活跃', en: 'heavy texting' }, low: { zh: '少发短信', en: 'light texting' } },
  wap_per_day: { high: { zh: '高流量', en: 'heavy data' }, low: { zh: '低流量', en: 'light data' } },
  vas_per_day: { high: { zh: '增值业务活跃', en: 'VAS-active' }, low: { zh: '少用增值业务', en: 'little VAS' } },
  services_held: { high: { zh: '多业务', en: 'many services' }, low: { zh: '少业务', en: 'few services' } },
  monthly_bill: { high: { zh: '高消费', en: 'high spend' }, low: { zh: '低消费', en: 'low spend' } },
};

const brandWords: Record<string, Bilingual> = {
  gotone: { zh: '全球通', en: 'GoTone' },
  easyown: { zh: '神州行', en: 'Easyown' },
  mzone: { zh: '动感地带', en: 'M-Zone' },
  other: { zh: '其他品牌', en: 'other brands' },
};

/** Traits weaker than this (|z| for numbers, 4 × share difference for levels) do not name a segment. */
const NAMING_STRENGTH = 0.35;

function wordOf(trait: SegmentTrait): Bilingual | undefined {
  if (trait.direction === 'level') return trait.feature === 'brand' ? brandWords[trait.level ?? ''] : undefined;
  return numericWords[trait.feature]?.[trait.direction];
}

/** One trait in words, e.g. 月账单 高:¥85.20(全体 ¥52.10) / monthly bill high: ¥85.20 (all ¥52.10). */
export function describeTrait(trait: SegmentTrait): Bilingual {
  const label = labelFeature(trait.feature);
  if (trait.direction === 'level') {
    const level = trait.feature === 'brand' ? brandWords[trait.level ?? ''] : undefined;
    const zhLevel = level?.zh ?? trait.level ?? '';
    const enLevel = level?.en ?? trait.level ?? '';
    const pct = (x: number) => Math.round(x * 100);
    return {
      zh: `${label.zh}为${zhLevel}的占 ${pct(trait.inside)}%(全体 ${pct(trait.overall)}%)`,
      en: `${label.en} ${enLevel}: ${pct(trait.inside)} % (all ${pct(trait.overall)} %)`,
    };
  }
  const inside = formatFeatureValue(label, trait.inside);
  const overall = formatFeatureValue(label, trait.overall);
  const high = trait.direction === 'high';
  return {
    zh: `${label.zh}${high ? '偏高' : '偏低'}:${inside.zh}(全体 ${overall.zh})`,
    en: `${high ? 'higher' : 'lower'} ${label.en}: ${inside.en} (all ${overall.en})`,
  };
}

/** A name per segment from its strongest traits, unique among the segments given. */
export function nameSegments(segments: readonly { traits: readonly SegmentTrait[] }[]): Bilingual[] {
  // Who they are before what they do: age and tenure, then brand, then spending and usage.
  const order = (t: SegmentTrait) => ({ age: 0, tenure_days: 1, brand: 2 })[t.feature] ?? 3;
  const words = segments.map((s) =>
    s.traits
      .filter((t) => t.strength >= NAMING_STRENGTH && wordOf(t))
      .slice(0, 3)
      .sort((a, b) => order(a) - order(b))
      .concat(s.traits.filter((t) => t.strength >= NAMING_STRENGTH && wordOf(t)).slice(3))
      .map((t) => wordOf(t)!),
  );
  const build = (list: Bilingual[], n: number): Bilingual =>
    list.length === 0
      ? { zh: '大众用户', en: 'mainstream' }
      : {
          zh: list
            .slice(0, n)
            .map((w) => w.zh)
            .join(''),
          en: list
            .slice(0, n)
            .map((w) => w.en)
            .join(' '),
        };
  const names = words.map((list) => build(list, 3));
  // A name two segments share takes one more word each, then a number.
  for (let round = 4; round <= 5; round++) {
    const seen = new Map<string, number>();
    for (const name of names) seen.set(name.zh, (seen.get(name.zh) ?? 0) + 1);
    names.forEach((name, i) => {
      if (seen.get(name.zh)! > 1) names[i] = build(words[i]!, round);
    });
  }
  const count = new Map<string, number>();
  return names.map((name) => {
    const n = (count.get(name.zh) ?? 0) + 1;
    count.set(name.zh, n);
    return n === 1 ? name : { zh: `${name.zh}(${n})`, en: `${name.en} (${n})` };
  });
}

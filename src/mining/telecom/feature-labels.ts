// What the subscriber features (subscriber-features.ts) are called on a page, in both languages, with
// the unit their values are shown in: a marketer reads 月账单 ¥85, not monthly_bill 85.2.
export interface FeatureLabel {
  zh: string;
  en: string;
  unit?: 'yuan' | 'days' | 'years' | 'per-day' | 'ratio' | 'count';
}

export const featureLabels: Readonly<Record<string, FeatureLabel>> = {
  brand: { zh: '品牌', en: 'brand' },
  gender: { zh: '性别', en: 'gender' },
  county: { zh: '县区', en: 'county' },
  age: { zh: '年龄', en: 'age', unit: 'years' },
  tenure_days: { zh: '在网时长', en: 'time on the network', unit: 'days' },
  plan_fee: { zh: '套餐月费', en: 'plan fee', unit: 'yuan' },
  sms_per_day: { zh: '日均短信', en: 'texts a day', unit: 'per-day' },
  wap_per_day: { zh: '日均上网次数', en: 'mobile web visits a day', unit: 'per-day' },
  vas_per_day: { zh: '日均增值业务次数', en: 'value-added service uses a day', unit: 'per-day' },
  usage_trend: { zh: '近期用量变化', en: 'recent usage trend', unit: 'ratio' },
  complaint_calls_per_day: { zh: '日均投诉来电', en: 'complaint calls a day', unit: 'per-day' },
  offnet_sms_share: { zh: '异网短信占比', en: 'share of texts to other networks', unit: 'ratio' },
  services_held: { zh: '在订业务数', en: 'services held', unit: 'count' },
  monthly_bill: { zh: '月账单', en: 'monthly bill', unit: 'yuan' },
};

/** The label of a feature; an encoded one ("brand=mzone", "brand_mzone") by its column's label. */
export function labelFeature(name: string): FeatureLabel {
  const known = featureLabels[name];
  if (known) return known;
  const column = Object.keys(featureLabels).find((k) => name.startsWith(`${k}=`) || name.startsWith(`${k}_`));
  if (column) return featureLabels[column]!;
  return { zh: '其他特征', en: name.replace(/_/g, ' ') };
}

/** A value with its unit, e.g. ¥85.20, 3.2 年 / 3.2 years, 41 %. */
export function formatFeatureValue(label: FeatureLabel, value: number): { zh: string; en: string } {
  const r1 = Math.round(value * 10) / 10;
  switch (label.unit) {
    case 'yuan':
      return { zh: `¥${value.toFixed(2)}`, en: `¥${value.toFixed(2)}` };
    case 'days':
      return value >= 365
        ? { zh: `${(value / 365).toFixed(1)} 年`, en: `${(value / 365).toFixed(1)} years` }
        : { zh: `${Math.round(value)} 天`, en: `${Math.round(value)} days` };
    case 'years':
      return { zh: `${Math.round(value)} 岁`, en: `${Math.round(value)}` };
    case 'ratio':
      return { zh: `${Math.round(value * 100)}%`, en: `${Math.round(value * 100)} %` };
    default:
      return { zh: String(r1), en: String(r1) };
  }
}

// What the audience builder offers: every field with its bilingual label and, for fields with a set of
// values, the values present in this warehouse with their labels (the Chinese UI never shows a code).
import {
  ageBands,
  areaTypeLabels,
  arpuBands,
  type Bilingual,
  brandLabels,
  cachedDimensionCatalogue,
  tenureBands,
} from '../../metrics/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { AttributeName, ScoreKind, SegmentBand, UsageMeasure } from './audience-definition.ts';

export interface CatalogueValue {
  value: string;
  label: Bilingual;
}

export interface AudienceCatalogue {
  asOf: string | null;
  attributes: {
    name: AttributeName;
    label: Bilingual;
    kind: 'values' | 'number';
    unit?: Bilingual;
    values?: CatalogueValue[];
  }[];
  services: CatalogueValue[];
  usage: { name: UsageMeasure; label: Bilingual }[];
  segments: { name: SegmentBand; label: Bilingual; values: CatalogueValue[] }[];
  models: { score: ScoreKind; version: string; label: Bilingual }[];
}

const genderLabels: Record<string, Bilingual> = {
  M: { zh: '男', en: 'male' },
  F: { zh: '女', en: 'female' },
  U: { zh: '未知', en: 'unknown' },
};

const bandLabels: Record<string, Bilingual> = {
  '<25': { zh: '25岁以下', en: 'under 25' },
  '25-34': { zh: '25–34岁', en: '25–34' },
  '35-44': { zh: '35–44岁', en: '35–44' },
  '45-54': { zh: '45–54岁', en: '45–54' },
  '55+': { zh: '55岁及以上', en: '55 and over' },
  '<6m': { zh: '不足6个月', en: 'under 6 months' },
  '6-12m': { zh: '6–12个月', en: '6–12 months' },
  '1-2y': { zh: '1–2年', en: '1–2 years' },
  '2-5y': { zh: '2–5年', en: '2–5 years' },
  '5y+': { zh: '5年以上', en: '5 years and more' },
  '0-30': { zh: '30元以下', en: 'under ¥30' },
  '30-60': { zh: '30–60元', en: '¥30–60' },
  '60-100': { zh: '60–100元', en: '¥60–100' },
  '100-200': { zh: '100–200元', en: '¥100–200' },
  '200+': { zh: '200元及以上', en: '¥200 and more' },
};

const usageLabels: Record<UsageMeasure, Bilingual> = {
  sms_out: { zh: '发短信条数', en: 'SMS sent' },
  calls_out: { zh: '主叫次数', en: 'calls made' },
  calls_in: { zh: '被叫次数', en: 'calls received' },
  call_seconds: { zh: '通话秒数', en: 'call seconds' },
  ivr_calls: { zh: 'IVR 呼叫次数', en: 'IVR calls' },
  wap_visits: { zh: 'WAP 访问次数', en: 'WAP visits' },
  vas_events: { zh: '增值业务使用次数', en: 'value-added service uses' },
};

const labelled = (values: readonly string[], labels: Record<string, Bilingual>): CatalogueValue[] =>
  values.map((value) => ({ value, label: labels[value] ?? { zh: value, en: value } }));

export async function loadAudienceCatalogue(warehouse: Warehouse): Promise<AudienceCatalogue> {
  const [dimensions, models, day] = await Promise.all([
    cachedDimensionCatalogue(warehouse),
    warehouse.all<{ score: ScoreKind; version: string }>(
      `SELECT DISTINCT 'churn' AS score, model_version AS version FROM mining_churn_scores
       UNION SELECT DISTINCT 'propensity', model_version FROM mining_propensity_scores ORDER BY score, version`,
    ),
    warehouse.one<{ day: string | null }>('SELECT CAST(max(as_of) AS VARCHAR) AS day FROM subscriber_facts'),
  ]);
  const values = (name: 'county' | 'plan' | 'service'): CatalogueValue[] =>
    (dimensions.dimensions.find((d) => d.name === name)?.values ?? []).map((v) => ({
      value: v.value,
      label: v.label ?? { zh: v.value, en: v.value },
    }));
  return {
    asOf: day?.day ?? null,
    attributes: [
      {
        name: 'brand',
        label: { zh: '品牌', en: 'Brand' },
        kind: 'values',
        values: labelled(['gotone', 'easyown', 'mzone'], brandLabels),
      },
      { name: 'county', label: { zh: '区县', en: 'County' }, kind: 'values', values: values('county') },
      { name: 'plan', label: { zh: '套餐', en: 'Plan' }, kind: 'values', values: values('plan') },
      {
        name: 'gender',
        label: { zh: '性别', en: 'Gender' },
        kind: 'values',
        values: labelled(['M', 'F', 'U'], genderLabels),
      },
      {
        name: 'area_type',
        label: { zh: '常驻区域类型', en: 'Area type most seen in' },
        kind: 'values',
        values: labelled(Object.keys(areaTypeLabels), areaTypeLabels),
      },
      { name: 'age', label: { zh: '年龄', en: 'Age' }, kind: 'number', unit: { zh: '岁', en: 'years' } },
      {
        name: 'tenure_months',
        label: { zh: '在网时长', en: 'Tenure' },
        kind: 'number',
        unit: { zh: '个月', en: 'months' },
      },
      {
        name: 'arpu',
        label: { zh: 'ARPU（最近账单）', en: 'ARPU (latest bill)' },
        kind: 'number',
        unit: { zh: '元', en: '¥' },
      },
    ],
    services: values('service'),
    usage: (Object.keys(usageLabels) as UsageMeasure[]).map((name) => ({ name, label: usageLabels[name] })),
    segments: [
      { name: 'age_band', label: { zh: '年龄段', en: 'Age band' }, values: labelled(ageBands, bandLabels) },
      {
        name: 'tenure_band',
        label: { zh: '在网时长段', en: 'Tenure band' },
        values: labelled(tenureBands, bandLabels),
      },
      { name: 'arpu_band', label: { zh: 'ARPU 档', en: 'ARPU band' }, values: labelled(arpuBands, bandLabels) },
    ],
    models: models.map((m) => ({
      score: m.score,
      version: m.version,
      label: {
        zh: `${m.score === 'churn' ? '流失' : '业务倾向'}评分 ${m.version}`,
        en: `${m.score} scores ${m.version}`,
      },
    })),
  };
}

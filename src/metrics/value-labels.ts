// Every bilingual label of a dimension value, in one place: fixed sets (brands, channels, area types,
// service categories, the ARPU, tenure and age bands) here, and the names the data carries (services
// and plans from their tables, regions and counties) completed with their English names from the demo
// catalogue. The dimension catalogue hands them to the analyses, the KPI queries and the dashboard.
import { countyNamesEn, planNamesEn, regionNamesEn, serviceNamesEn } from '../demo/demo-names.ts';
import type { AttributeDimension, Bilingual } from './dimensions.ts';

export const brandLabels: Record<string, Bilingual> = {
  gotone: { zh: '全球通', en: 'GoTone' },
  easyown: { zh: '神州行', en: 'Easyown' },
  mzone: { zh: '动感地带', en: 'M-Zone' },
  other: { zh: '其他', en: 'other' },
};

export const channelLabels: Record<string, Bilingual> = {
  sms: { zh: '短信', en: 'SMS' },
  ivr: { zh: 'IVR 语音', en: 'IVR' },
  wap: { zh: 'WAP 门户', en: 'WAP' },
  web: { zh: '网站', en: 'web' },
  counter: { zh: '营业厅', en: 'counter' },
  hotline: { zh: '客服热线', en: 'hotline' },
  campaign: { zh: '营销活动', en: 'campaign' },
  bundle: { zh: '入网捆绑', en: 'bundle' },
  auto: { zh: '系统自动', en: 'automatic' },
};

export const areaTypeLabels: Record<string, Bilingual> = {
  station: { zh: '车站', en: 'station' },
  campus: { zh: '校园', en: 'campus' },
  office: { zh: '写字楼', en: 'office' },
  commercial: { zh: '商业区', en: 'commercial' },
  residential: { zh: '住宅区', en: 'residential' },
  scenic: { zh: '景区', en: 'scenic' },
  rural: { zh: '农村', en: 'rural' },
  other: { zh: '其他', en: 'other' },
};

export const serviceCategoryLabels: Record<string, Bilingual> = {
  crbt: { zh: '彩铃', en: 'ringback tone' },
  news: { zh: '手机报', en: 'news' },
  directory: { zh: '信息查询', en: 'directory' },
  music: { zh: '音乐', en: 'music' },
  game: { zh: '游戏', en: 'games' },
  video: { zh: '视频', en: 'video' },
  im: { zh: '即时通信', en: 'messaging' },
  portal: { zh: '门户', en: 'portal' },
  other: { zh: '其他', en: 'other' },
};

/** Monthly bill bands (src/warehouse/subscriber-bands.ts); "null" is a subscriber without a bill yet. */
export const arpuBandLabels: Record<string, Bilingual> = {
  '0-30': { zh: '30 元以下', en: 'under ¥30' },
  '30-60': { zh: '30–60 元', en: '¥30–60' },
  '60-100': { zh: '60–100 元', en: '¥60–100' },
  '100-200': { zh: '100–200 元', en: '¥100–200' },
  '200+': { zh: '200 元及以上', en: '¥200 and over' },
  null: { zh: '无账单', en: 'no bill' },
};

export const tenureBandLabels: Record<string, Bilingual> = {
  '<6m': { zh: '不满 6 个月', en: 'under 6 months' },
  '6-12m': { zh: '6–12 个月', en: '6–12 months' },
  '1-2y': { zh: '1–2 年', en: '1–2 years' },
  '2-5y': { zh: '2–5 年', en: '2–5 years' },
  '5y+': { zh: '5 年及以上', en: '5 years and over' },
};

export const ageBandLabels: Record<string, Bilingual> = {
  '<25': { zh: '25 岁以下', en: 'under 25' },
  '25-34': { zh: '25–34 岁', en: '25–34' },
  '35-44': { zh: '35–44 岁', en: '35–44' },
  '45-54': { zh: '45–54 岁', en: '45–54' },
  '55+': { zh: '55 岁及以上', en: '55 and over' },
};

/** Labels of the dimensions whose values are fixed by the code or the feed contract. */
export const fixedValueLabels: Partial<Record<AttributeDimension, Record<string, Bilingual>>> = {
  brand: brandLabels,
  channel: channelLabels,
  area_type: areaTypeLabels,
  service_category: serviceCategoryLabels,
  arpu_band: arpuBandLabels,
  tenure_band: tenureBandLabels,
  age_band: ageBandLabels,
};

/**
 * The label of a value the data names: the feed's own (Chinese) name, and the English name the demo
 * catalogue knows; a value the catalogue does not know (another operator's data) keeps its own name
 * in English too, never an id when a name exists.
 */
export function dataValueLabel(
  dimension: 'region' | 'county' | 'service' | 'plan',
  value: string,
  name?: string,
): Bilingual {
  const zh = name ?? value;
  const english = { region: regionNamesEn, county: countyNamesEn, service: serviceNamesEn, plan: planNamesEn }[
    dimension
  ];
  return { zh, en: english[value] ?? zh };
}

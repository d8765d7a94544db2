// Every dimension a KPI can be broken down or filtered by: its labels, and where its known values
// come from. Band dimensions (ARPU, tenure, age) are computed by fixed CASE expressions whose outputs
// are listed here, so a filter value can be checked before any SQL runs.
import { areaTypes, brands, orderChannels, serviceCategories } from '../feeds/contract.ts';
import { ageBands, arpuBands, tenureBands } from '../warehouse/subscriber-bands.ts';

export {
  ageBandSql,
  ageBands,
  arpuBandSql,
  arpuBands,
  tenureBandSql,
  tenureBands,
} from '../warehouse/subscriber-bands.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

export const timeGrains = ['day', 'week', 'month'] as const;
export type TimeGrain = (typeof timeGrains)[number];

export const attributeDimensions = [
  'region',
  'county',
  'brand',
  'service',
  'service_category',
  'channel',
  'plan',
  'arpu_band',
  'tenure_band',
  'age_band',
  'area_type',
  'access_code',
] as const;
export type AttributeDimension = (typeof attributeDimensions)[number];
export type DimensionName = TimeGrain | AttributeDimension;

export const dimensionLabels: Record<DimensionName, Bilingual> = {
  day: { zh: '日', en: 'Day' },
  week: { zh: '周', en: 'Week' },
  month: { zh: '月', en: 'Month' },
  region: { zh: '地市', en: 'Region' },
  county: { zh: '区县', en: 'County' },
  brand: { zh: '品牌', en: 'Brand' },
  service: { zh: '业务', en: 'Service' },
  service_category: { zh: '业务类别', en: 'Service category' },
  channel: { zh: '渠道', en: 'Channel' },
  plan: { zh: '套餐', en: 'Plan' },
  arpu_band: { zh: 'ARPU 档', en: 'ARPU band' },
  tenure_band: { zh: '在网时长', en: 'Tenure band' },
  age_band: { zh: '年龄段', en: 'Age band' },
  area_type: { zh: '区域类型', en: 'Area type' },
  access_code: { zh: '接入号', en: 'Access code' },
};

/** Values whose set is fixed by the code or the feed contract rather than by the data. */
export const fixedDimensionValues: Partial<Record<AttributeDimension, readonly string[]>> = {
  brand: brands,
  channel: orderChannels,
  service_category: serviceCategories,
  area_type: areaTypes,
  arpu_band: arpuBands,
  tenure_band: tenureBands,
  age_band: ageBands,
};

export function isTimeGrain(name: string): name is TimeGrain {
  return (timeGrains as readonly string[]).includes(name);
}

export function isDimensionName(name: string): name is DimensionName {
  return isTimeGrain(name) || (attributeDimensions as readonly string[]).includes(name);
}

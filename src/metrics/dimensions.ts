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
  'menu',
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
  menu: { zh: '语音菜单(频道)', en: 'IVR menu (channel)' },
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

/**
 * IVR menu choices (`channel/item`, the 12580 "频道" of the case study). A menu without a label here
 * is shown by its channel's label plus the raw item, so a new menu in a feed never shows a bare code
 * in Chinese for its channel part.
 */
export const ivrChannelLabels: Record<string, Bilingual> = {
  travel: { zh: '交通商旅', en: 'travel' },
  food: { zh: '餐饮美食', en: 'food' },
  life: { zh: '生活', en: 'life' },
  entertainment: { zh: '休闲娱乐', en: 'entertainment' },
  shopping: { zh: '购物', en: 'shopping' },
  medical: { zh: '医疗', en: 'medical' },
  agri: { zh: '农业', en: 'agriculture' },
  directory: { zh: '查号', en: 'directory' },
  info: { zh: '资讯', en: 'information' },
  complaint: { zh: '投诉', en: 'complaints' },
  query: { zh: '查询', en: 'queries' },
  service: { zh: '业务办理', en: 'service' },
};

export const ivrMenuLabels: Record<string, Bilingual> = {
  'travel/train': { zh: '交通·火车', en: 'travel: train' },
  'travel/bus': { zh: '交通·汽车', en: 'travel: bus' },
  'travel/flight': { zh: '商旅·机票', en: 'travel: flights' },
  'travel/hotel': { zh: '商旅·酒店', en: 'travel: hotels' },
  'food/restaurant': { zh: '餐饮·餐馆', en: 'food: restaurants' },
  'food/delivery': { zh: '餐饮·外卖', en: 'food: delivery' },
  'life/weather': { zh: '生活·天气', en: 'life: weather' },
  'life/housekeeping': { zh: '生活·家政', en: 'life: housekeeping' },
  'entertainment/movie': { zh: '娱乐·电影', en: 'entertainment: cinema' },
  'shopping/mall': { zh: '购物·商场', en: 'shopping: malls' },
  'shopping/deals': { zh: '购物·优惠', en: 'shopping: deals' },
  'medical/hospital': { zh: '医疗·医院', en: 'medical: hospitals' },
  'agri/market': { zh: '农业·农贸行情', en: 'agriculture: market prices' },
  'directory/number': { zh: '查号·号码', en: 'directory: numbers' },
  'directory/business': { zh: '查号·商户', en: 'directory: businesses' },
  'info/horoscope': { zh: '资讯·星座', en: 'information: horoscope' },
  'info/joke': { zh: '资讯·笑话', en: 'information: jokes' },
  'info/news': { zh: '资讯·新闻', en: 'information: news' },
  'complaint/billing': { zh: '投诉·话费', en: 'complaints: billing' },
  'complaint/network': { zh: '投诉·网络', en: 'complaints: network' },
  'query/balance': { zh: '查询·余额', en: 'queries: balance' },
  'query/package': { zh: '查询·套餐', en: 'queries: plan' },
  'service/order': { zh: '业务办理', en: 'service: orders' },
};

/** The label of a menu choice: from the list, else its channel's label and the item. */
export function ivrMenuLabel(menu: string): Bilingual {
  const known = ivrMenuLabels[menu];
  if (known) return known;
  if (menu === '') return { zh: '(无菜单)', en: '(no menu)' };
  const [channel = '', item = ''] = menu.split('/');
  const channelLabel = ivrChannelLabels[channel];
  return channelLabel
    ? { zh: `${channelLabel.zh}·${item}`, en: `${channelLabel.en}: ${item}` }
    : { zh: menu, en: menu };
}

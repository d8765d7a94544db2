// Labels of the codes a profile shows, so that no raw code reaches the Chinese page. Brands and order
// channels come from the metrics catalogue (one label per code across the dashboard).
import { brandLabels, channelLabels } from '../metrics/index.ts';
import type { Bilingual, Labelled } from './customer-profile.ts';

const statusLabels: Record<string, Bilingual> = {
  active: { zh: '正常', en: 'active' },
  suspended: { zh: '停机', en: 'suspended' },
  closed: { zh: '已销户', en: 'closed' },
};

const genderLabels: Record<string, Bilingual> = {
  M: { zh: '男', en: 'male' },
  F: { zh: '女', en: 'female' },
  U: { zh: '未知', en: 'unknown' },
};

const messageStatusLabels: Record<string, Bilingual> = {
  pending: { zh: '待发送', en: 'pending' },
  submitting: { zh: '发送中', en: 'sending' },
  submitted: { zh: '已提交', en: 'submitted' },
  delivered: { zh: '已送达', en: 'delivered' },
  failed: { zh: '发送失败', en: 'failed' },
  expired: { zh: '已过期', en: 'expired' },
  unknown: { zh: '状态未知', en: 'unknown' },
  skipped: { zh: '未发送（策略拦截）', en: 'not sent (policy)' },
  held: { zh: '暂缓发送（活动暂停）', en: 'held (campaign paused)' },
};

const alertStatusLabels: Record<string, Bilingual> = {
  open: { zh: '处理中', en: 'open' },
  acknowledged: { zh: '已确认', en: 'acknowledged' },
  silenced: { zh: '已静默', en: 'silenced' },
  none: { zh: '未告警', en: 'not alerted' },
};

const tenureBandLabels: Record<string, Bilingual> = {
  '<6m': { zh: '不足半年', en: 'under 6 months' },
  '6-12m': { zh: '半年到一年', en: '6–12 months' },
  '1-2y': { zh: '1–2 年', en: '1–2 years' },
  '2-5y': { zh: '2–5 年', en: '2–5 years' },
  '5y+': { zh: '5 年以上', en: 'over 5 years' },
};

function labelled(table: Record<string, Bilingual>, code: string): Labelled {
  return { code, label: table[code] ?? { zh: code, en: code } };
}

export const brandOf = (code: string): Labelled => labelled(brandLabels, code);
export const statusOf = (code: string): Labelled => labelled(statusLabels, code);
export const genderOf = (code: string): Labelled => labelled(genderLabels, code);
export const channelOf = (code: string): Labelled => labelled(channelLabels, code);
export const messageStatusOf = (code: string): Labelled => labelled(messageStatusLabels, code);
export const alertStatusOf = (code: string): Labelled => labelled(alertStatusLabels, code);
export const tenureBandLabel = (band: string): Bilingual => tenureBandLabels[band] ?? { zh: band, en: band };

/** ¥12.50 */
export function yuan(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `¥${value.toFixed(2)}`;
}

const categoryEnglish: Record<string, string> = {
  crbt: 'ringback tone',
  news: 'mobile newspaper',
  directory: 'directory',
  music: 'music club',
  game: 'mobile games',
  video: 'mobile video',
  im: 'Fetion messaging',
  portal: 'WAP portal',
};

export interface CatalogueService {
  name: string;
  category: string;
  feeYuan: number;
}

/** The services catalogue by id (a small table, read with each profile). */
export type ServiceCatalogue = ReadonlyMap<string, CatalogueService>;

/** A service's label: its catalogue name in Chinese, its category in English (with a numeric id: "12580 directory"). */
export function serviceLabel(serviceId: string, catalogue: ServiceCatalogue): Bilingual {
  const service = catalogue.get(serviceId);
  if (!service) return { zh: serviceId, en: serviceId };
  const english = categoryEnglish[service.category] ?? service.category;
  return { zh: service.name, en: /^\d+$/.test(serviceId) ? `${serviceId} ${english}` : english };
}

// The demo operator's products: tariff plans per brand and value-added services.
// Service order here is the bit order of a subscriber's holdings mask.
import type { brands, serviceCategories } from '../feeds/contract.ts';

export type Brand = (typeof brands)[number];
export type ServiceCategory = (typeof serviceCategories)[number];

export interface DemoPlan {
  planId: string;
  name: string;
  brand: Brand;
  monthlyFeeFen: number;
  voiceMinutes: number;
  sms: number;
  dataMb: number;
}

export const demoPlans: readonly DemoPlan[] = [
  {
    planId: 'GT58',
    name: '全球通58元套餐',
    brand: 'gotone',
    monthlyFeeFen: 5800,
    voiceMinutes: 300,
    sms: 100,
    dataMb: 300,
  },
  {
    planId: 'GT88',
    name: '全球通88元套餐',
    brand: 'gotone',
    monthlyFeeFen: 8800,
    voiceMinutes: 600,
    sms: 200,
    dataMb: 800,
  },
  {
    planId: 'GT128',
    name: '全球通商旅128元套餐',
    brand: 'gotone',
    monthlyFeeFen: 12800,
    voiceMinutes: 1000,
    sms: 300,
    dataMb: 1500,
  },
  { planId: 'EO0', name: '神州行大众卡', brand: 'easyown', monthlyFeeFen: 0, voiceMinutes: 0, sms: 0, dataMb: 0 },
  {
    planId: 'EO10',
    name: '神州行家园卡',
    brand: 'easyown',
    monthlyFeeFen: 1000,
    voiceMinutes: 100,
    sms: 30,
    dataMb: 30,
  },
  {
    planId: 'EO18',
    name: '神州行轻松卡',
    brand: 'easyown',
    monthlyFeeFen: 1800,
    voiceMinutes: 150,
    sms: 60,
    dataMb: 100,
  },
  {
    planId: 'MZ18',
    name: '动感地带学生卡',
    brand: 'mzone',
    monthlyFeeFen: 1800,
    voiceMinutes: 60,
    sms: 300,
    dataMb: 200,
  },
  {
    planId: 'MZ28',
    name: '动感地带音乐套餐',
    brand: 'mzone',
    monthlyFeeFen: 2800,
    voiceMinutes: 100,
    sms: 300,
    dataMb: 500,
  },
  {
    planId: 'MZ38',
    name: '动感地带上网套餐',
    brand: 'mzone',
    monthlyFeeFen: 3800,
    voiceMinutes: 100,
    sms: 200,
    dataMb: 1000,
  },
  { planId: 'OT10', name: '随e行数据卡', brand: 'other', monthlyFeeFen: 1000, voiceMinutes: 0, sms: 0, dataMb: 500 },
];

/** Plans of each brand, as indices into `demoPlans`, with the share of the brand's subscribers. */
export const plansByBrand: Record<Brand, { plan: number; share: number }[]> = {
  gotone: [
    { plan: 0, share: 0.5 },
    { plan: 1, share: 0.35 },
    { plan: 2, share: 0.15 },
  ],
  easyown: [
    { plan: 3, share: 0.45 },
    { plan: 4, share: 0.35 },
    { plan: 5, share: 0.2 },
  ],
  mzone: [
    { plan: 6, share: 0.5 },
    { plan: 7, share: 0.3 },
    { plan: 8, share: 0.2 },
  ],
  other: [{ plan: 9, share: 1 }],
};

export interface DemoService {
  serviceId: string;
  name: string;
  category: ServiceCategory;
  monthlyFeeFen: number;
  trialMonths: number;
  /** WAP host of the service's portal, or '' when it has none. */
  wapHost: string;
  /** SP number that sends its pushes (sp_mt) and takes its commands (sp_mo). */
  spNumber: string;
}

export const demoServices: readonly DemoService[] = [
  {
    serviceId: 'crbt',
    name: '彩铃',
    category: 'crbt',
    monthlyFeeFen: 500,
    trialMonths: 0,
    wapHost: 'crbt.10086.cn',
    spNumber: '12530',
  },
  {
    serviceId: 'news',
    name: '手机报',
    category: 'news',
    monthlyFeeFen: 300,
    trialMonths: 1,
    wapHost: 'news.wap.10086.cn',
    spNumber: '10658000',
  },
  {
    serviceId: '12580',
    name: '12580生活播报',
    category: 'directory',
    monthlyFeeFen: 300,
    trialMonths: 0,
    wapHost: 'wap.12580.com',
    spNumber: '1065812580',
  },
  {
    serviceId: 'im',
    name: '飞信',
    category: 'im',
    monthlyFeeFen: 0,
    trialMonths: 0,
    wapHost: 'fetion.com.cn',
    spNumber: '12520',
  },
  {
    serviceId: 'music',
    name: '无线音乐俱乐部',
    category: 'music',
    monthlyFeeFen: 600,
    trialMonths: 2,
    wapHost: 'music.10086.cn',
    spNumber: '10658830',
  },
  {
    serviceId: 'game',
    name: '手机游戏',
    category: 'game',
    monthlyFeeFen: 800,
    trialMonths: 0,
    wapHost: 'game.10086.cn',
    spNumber: '10658899',
  },
  {
    serviceId: 'video',
    name: '手机视频',
    category: 'video',
    monthlyFeeFen: 1000,
    trialMonths: 1,
    wapHost: 'v.10086.cn',
    spNumber: '10658866',
  },
  {
    serviceId: 'portal',
    name: '移动梦网',
    category: 'portal',
    monthlyFeeFen: 200,
    trialMonths: 0,
    wapHost: 'wap.monternet.com',
    spNumber: '10658',
  },
];

export const serviceIndex = {
  crbt: 0,
  news: 1,
  directory: 2,
  im: 3,
  music: 4,
  game: 5,
  video: 6,
  portal: 7,
} as const;
export type ServiceKey = keyof typeof serviceIndex;

export const serviceCount = demoServices.length;

/** Index of a service_id in `demoServices`, or -1. */
export function findService(serviceId: string): number {
  return demoServices.findIndex((s) => s.serviceId === serviceId);
}

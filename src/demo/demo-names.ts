// English names of the demo operator's products and places, keyed by the id or Chinese name the feeds
// carry. The feeds hold one name (Chinese, as BOSS does); the dimension catalogue takes the English one
// from here so the English dashboard never shows an id or a Chinese place name. A test checks that
// every plan, service, county and named place of the demo has one.

export const regionNamesEn: Readonly<Record<string, string>> = { 河源: 'Heyuan' };

export const countyNamesEn: Readonly<Record<string, string>> = {
  源城: 'Yuancheng',
  东源: 'Dongyuan',
  和平: 'Heping',
  龙川: 'Longchuan',
  紫金: 'Zijin',
  连平: 'Lianping',
};

export const placeNamesEn: Readonly<Record<string, string>> = {
  火车站: 'Railway station',
  汽车站: 'Bus station',
  大学城: 'University town',
  河源职业技术学院: 'Heyuan Polytechnic',
  广晟广场: 'Guangsheng Plaza',
  文明路: 'Wenming Road',
  高新区: 'High-tech zone',
  市政府: 'City hall',
  茶山公园: 'Chashan Park',
  万绿湖: 'Wanlü Lake',
  仙塘镇中心: 'Xiantang town centre',
  和平汽车站: 'Heping bus station',
  阳明镇中心: 'Yangming town centre',
  龙川火车站: 'Longchuan railway station',
  老隆镇中心: 'Laolong town centre',
  佗城: 'Tuocheng',
  紫金汽车站: 'Zijin bus station',
  紫城镇中心: 'Zicheng town centre',
  连平县政府: 'Lianping county hall',
  元善镇中心: 'Yuanshan town centre',
};

/** By service_id. */
export const serviceNamesEn: Readonly<Record<string, string>> = {
  crbt: 'Ringback tone',
  news: 'Mobile newspaper',
  '12580': '12580 life news',
  im: 'Fetion messenger',
  music: 'Wireless music club',
  game: 'Mobile games',
  video: 'Mobile video',
  portal: 'Monternet portal',
};

/** By plan_id. */
export const planNamesEn: Readonly<Record<string, string>> = {
  GT58: 'GoTone 58 plan',
  GT88: 'GoTone 88 plan',
  GT128: 'GoTone business 128 plan',
  EO0: 'Easyown basic card',
  EO10: 'Easyown home card',
  EO18: 'Easyown easy card',
  MZ18: 'M-Zone student card',
  MZ28: 'M-Zone music plan',
  MZ38: 'M-Zone data plan',
  OT10: 'Data card',
};

// English names of the demo operator's places (region, counties, named places) and of the words the
// generator builds cell and area names from, so that a page in English never shows 火车站 or 源城.
// Chinese stays the name of record: feeds, rules and the warehouse keep it.
const placeEnglish: Readonly<Record<string, string>> = {
  河源: 'Heyuan',
  源城: 'Yuancheng',
  东源: 'Dongyuan',
  和平: 'Heping',
  龙川: 'Longchuan',
  紫金: 'Zijin',
  连平: 'Lianping',
  火车站: 'Railway station',
  汽车站: 'Bus station',
  大学城: 'University town',
  河源职业技术学院: 'Heyuan Polytechnic',
  广晟广场: 'Guangsheng Square',
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
  商业区: 'Shopping areas',
  写字楼: 'Offices',
  居民区: 'residential',
  乡村: 'rural',
};

/**
 * The English for a demo place name: whole names first, then a name built by the generator from a
 * place and a number (火车站3 → Railway station 3, 源城居民区12 → Yuancheng residential 12).
 * Undefined when the name is not the demo's.
 */
export function englishPlaceName(name: string): string | undefined {
  const whole = placeEnglish[name];
  if (whole) return whole;
  const numbered = /^(.*?)(\d+)$/.exec(name);
  const stem = numbered ? numbered[1]! : name;
  const direct = placeEnglish[stem];
  if (direct) return numbered ? `${direct} ${numbered[2]}` : direct;
  for (const suffix of ['居民区', '乡村']) {
    if (!stem.endsWith(suffix)) continue;
    const county = placeEnglish[stem.slice(0, -suffix.length)];
    if (county) return `${county} ${placeEnglish[suffix]}${numbered ? ` ${numbered[2]}` : ''}`;
  }
  return undefined;
}

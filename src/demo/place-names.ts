// English names of the demo operator's places (region, counties, named places) and of the words the
// generator builds cell and area names from, so that a page in English never shows 火车站 or 源城.
// Chinese stays the name of record: feeds, rules and the warehouse keep it.
import { countyNamesEn, placeNamesEn, regionNamesEn } from './demo-names.ts';

const placeEnglish: Readonly<Record<string, string>> = {
  // the names of record, one list for the whole product (demo-names.ts), plus the generator's area words
  ...regionNamesEn,
  ...countyNamesEn,
  ...placeNamesEn,
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

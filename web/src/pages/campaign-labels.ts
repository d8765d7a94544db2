// Display words of the campaign pages: statuses, round kinds, segments and knowledge results in both
// languages, so the Chinese interface never shows a raw code.
import type { Bilingual } from '../i18n/index.ts';

export const statusLabels: Record<string, Bilingual> = {
  draft: { zh: '草稿', en: 'Draft' },
  approved: { zh: '已审批', en: 'Approved' },
  pilot: { zh: '试点中', en: 'Pilot running' },
  evaluated: { zh: '已评估', en: 'Evaluated' },
  rolled_out: { zh: '已推广', en: 'Rolled out' },
  closed: { zh: '已结束', en: 'Closed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const roundLabels: Record<string, Bilingual> = {
  pilot: { zh: '试点', en: 'Pilot' },
  rollout: { zh: '推广', en: 'Rollout' },
  correction: { zh: '修正试点', en: 'Correction pilot' },
};

export const resultLabels: Record<string, Bilingual> = {
  positive: { zh: '有效', en: 'Positive' },
  none: { zh: '无显著效果', en: 'No effect' },
  negative: { zh: '负效果', en: 'Negative' },
};

export const seasonLabels: Record<string, Bilingual> = {
  spring: { zh: '春季', en: 'Spring' },
  summer: { zh: '夏季', en: 'Summer' },
  autumn: { zh: '秋季', en: 'Autumn' },
  winter: { zh: '冬季', en: 'Winter' },
};

export const segmentLabels: Record<string, Bilingual> = {
  'age<25': { zh: '25岁以下', en: 'Under 25' },
  'age 25-39': { zh: '25–39岁', en: '25–39' },
  'age 40-59': { zh: '40–59岁', en: '40–59' },
  'age 60+': { zh: '60岁及以上', en: '60 and over' },
  unknown: { zh: '未知', en: 'Unknown' },
  'inside rules': { zh: '规则内', en: 'Inside the rules' },
  'outside rules': { zh: '规则外', en: 'Outside the rules' },
};

export function labelOf(labels: Record<string, Bilingual>, code: string): Bilingual {
  return labels[code] ?? { zh: code, en: code };
}

// Display names for the values of the analyses' columns named after a dimension (brand "mzone" ->
// 动感地带 / M-Zone, service "crbt" -> 彩铃, a plan id -> its name), through useDimensionLabels.
import { useMemo } from 'react';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { useDimensionLabels } from './dimension-labels.ts';

/** Columns whose values are dimension values, mapped to the dimension. */
const columnDimension: Record<string, string> = {
  brand: 'brand',
  service: 'service',
  channel: 'channel',
  area_type: 'area_type',
  plan: 'plan',
  service_category: 'service_category',
  menu: 'menu',
};

/** Columns whose values are codes of no dimension: their labels, in both languages. */
const fixedLabels: Record<string, Record<string, Bilingual>> = {
  source: {
    trigger: { zh: '实时触发', en: 'real-time trigger' },
    campaign: { zh: '营销活动', en: 'campaign' },
    adhoc: { zh: '临时名单', en: 'ad-hoc list' },
    alert: { zh: '告警', en: 'alert' },
    system: { zh: '系统通知', en: 'system' },
  },
};

/** Columns holding a list of service ids ("crbt, news"): each service labelled, joined with " + ". */
const serviceListColumns = new Set(['services', 'lhs', 'rhs']);

export type ValueLabeler = (column: string, value: unknown) => string;

export function useValueLabels(): ValueLabeler {
  const labels = useDimensionLabels();
  const { lang } = useI18n();
  return useMemo(
    // A column that is no dimension finds no labels and shows its values as they are.
    () => (column: string, value: unknown) => {
      const fixed = fixedLabels[column]?.[String(value)];
      if (fixed) return fixed[lang];
      if (serviceListColumns.has(column) && typeof value === 'string') {
        return value
          .split(', ')
          .map((service) => labels.value('service', service))
          .join(' + ');
      }
      return labels.value(columnDimension[column] ?? '', value);
    },
    [labels, lang],
  );
}

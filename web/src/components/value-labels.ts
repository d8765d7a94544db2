// Display names for the values of the analyses' columns named after a dimension (brand "mzone" ->
// 动感地带 / M-Zone, service "crbt" -> 彩铃, a plan id -> its name), through useDimensionLabels.
import { useMemo } from 'react';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { useDimensionLabels } from './dimension-labels.ts';

/** Columns named after a dimension, mapped to it (a result column may also name its dimension itself). */
const columnDimension: Record<string, string> = {
  brand: 'brand',
  service: 'service',
  channel: 'channel',
  area_type: 'area_type',
  plan: 'plan',
  service_category: 'service_category',
  region: 'region',
  county: 'county',
  arpu_band: 'arpu_band',
  tenure_band: 'tenure_band',
  age_band: 'age_band',
  access_code: 'access_code',
  menu: 'menu',
};

/** What a result column says about its values: the dimension naming them, or their own labels. */
export interface ColumnLabels {
  dimension?: string;
  values?: Readonly<Record<string, Bilingual>>;
}

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

export type ValueLabeler = (column: string, value: unknown, labels?: ColumnLabels) => string;

export function useValueLabels(): ValueLabeler {
  const labels = useDimensionLabels();
  const { lang } = useI18n();
  return useMemo(
    // The column's own labels first, then fixed labels, then the catalogue's; a value known to none shows as it is.
    () => (column: string, value: unknown, own?: ColumnLabels) => {
      const label = value === null || value === undefined ? undefined : own?.values?.[String(value)];
      if (label) return label[lang];
      const fixed = fixedLabels[column]?.[String(value)];
      if (fixed) return fixed[lang];
      if (serviceListColumns.has(column) && typeof value === 'string') {
        return value
          .split(', ')
          .map((service) => labels.value('service', service))
          .join(' + ');
      }
      return labels.value(own?.dimension ?? columnDimension[column] ?? '', value);
    },
    [labels, lang],
  );
}

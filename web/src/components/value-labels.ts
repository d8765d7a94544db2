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
};

/** What a result column says about its values: the dimension naming them, or their own labels. */
export interface ColumnLabels {
  dimension?: string;
  values?: Readonly<Record<string, Bilingual>>;
}

export type ValueLabeler = (column: string, value: unknown, labels?: ColumnLabels) => string;

export function useValueLabels(): ValueLabeler {
  const labels = useDimensionLabels();
  const { lang } = useI18n();
  return useMemo(
    // The column's own labels first, then the catalogue's; a value known to neither shows as it is.
    () => (column: string, value: unknown, own?: ColumnLabels) => {
      const label = value === null || value === undefined ? undefined : own?.values?.[String(value)];
      if (label) return label[lang];
      return labels.value(own?.dimension ?? columnDimension[column] ?? '', value);
    },
    [labels, lang],
  );
}

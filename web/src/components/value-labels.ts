// Display names for dimension values (brand "mzone" -> 动感地带 / M-Zone, service "crbt" -> 彩铃, plan -> its name),
// from /api/dimensions, for the columns named after a dimension.
import { useMemo } from 'react';
import { useI18n } from '../i18n/index.ts';
import { useDimensionCatalogue } from './filter-bar.tsx';

/** Columns whose values are dimension values, mapped to the dimension. */
const columnDimension: Record<string, string> = {
  brand: 'brand',
  service: 'service',
  channel: 'channel',
  area_type: 'area_type',
  plan: 'plan',
  service_category: 'service_category',
};

export type ValueLabeler = (column: string, value: unknown) => string;

export function useValueLabels(): ValueLabeler {
  const { lang } = useI18n();
  const catalogue = useDimensionCatalogue().data;
  return useMemo(() => {
    const labels = new Map<string, Map<string, string>>();
    for (const dimension of catalogue?.dimensions ?? []) {
      const byValue = new Map<string, string>();
      for (const v of dimension.values) if (v.label) byValue.set(v.value, v.label[lang]);
      labels.set(dimension.name, byValue);
    }
    return (column: string, value: unknown) => {
      const text = value === null || value === undefined ? '' : String(value);
      const dimension = columnDimension[column];
      return (dimension && labels.get(dimension)?.get(text)) || text;
    };
  }, [catalogue, lang]);
}

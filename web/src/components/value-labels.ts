// Display names for the values of the analyses' columns named after a dimension (brand "mzone" ->
// 动感地带 / M-Zone, service "crbt" -> 彩铃, a plan id -> its name), through useDimensionLabels.
import { useMemo } from 'react';
import { useDimensionLabels } from './dimension-labels.ts';

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
  const labels = useDimensionLabels();
  return useMemo(
    // A column that is no dimension finds no labels and shows its values as they are.
    () => (column: string, value: unknown) => labels.value(columnDimension[column] ?? '', value),
    [labels],
  );
}

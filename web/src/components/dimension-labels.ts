// Display names for any dimension and its values, keyed by dimension name (plan "P01" -> its plan
// name, brand "mzone" -> 动感地带 / M-Zone), from /api/dimensions. useValueLabels is keyed by the
// column names of the analyses and knows only a few of them; a page that lets the user pick any
// dimension (the KPI explorer) needs every dimension labelled.
import { useMemo } from 'react';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { useDimensionCatalogue } from './filter-bar.tsx';

export interface DimensionLabels {
  /** The dimension's own name (品牌 / Brand); the raw name until the catalogue has loaded. */
  dimension(name: string): Bilingual | string;
  /** A value of the dimension in the current language; values without a label show as they are. */
  value(name: string, value: unknown): string;
}

export function useDimensionLabels(): DimensionLabels {
  const { lang } = useI18n();
  const catalogue = useDimensionCatalogue().data;
  return useMemo(() => {
    const names = new Map<string, Bilingual>();
    const values = new Map<string, Map<string, string>>();
    for (const dimension of catalogue?.dimensions ?? []) {
      names.set(dimension.name, dimension.label);
      const byValue = new Map<string, string>();
      for (const v of dimension.values) if (v.label) byValue.set(v.value, v.label[lang]);
      values.set(dimension.name, byValue);
    }
    return {
      dimension: (name) => names.get(name) ?? name,
      value: (name, value) => {
        const text = value === null || value === undefined ? '' : String(value);
        return values.get(name)?.get(text) ?? text;
      },
    };
  }, [catalogue, lang]);
}

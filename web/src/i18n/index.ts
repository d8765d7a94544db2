// Interface language: Chinese by default, English on request; the choice is kept in localStorage.
// Texts that come from the API carry both languages ({ zh, en }) and are picked with `pick`.
import { createContext, createElement, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { en } from './en.ts';
import { type MessageKey, zh } from './zh.ts';

export type Lang = 'zh' | 'en';
export type { MessageKey };
export interface Bilingual {
  zh: string;
  en: string;
}

const catalogues: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'telmark.lang';

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey): string;
  pick(text: Bilingual | string | undefined): string;
  formatNumber(value: number | null | undefined, unit?: string): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key) => catalogues[lang][key],
      pick: (text) => (text === undefined ? '' : typeof text === 'string' ? text : text[lang]),
      formatNumber: (value, unit) => formatNumber(value, unit, lang),
    }),
    [lang, setLang],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** Ratios as percentages, money with two decimals, counts grouped by thousands. */
export function formatNumber(value: number | null | undefined, unit: string | undefined, lang: Lang): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  if (unit === 'ratio') return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 2 })}%`;
  if (unit === 'yuan') return value.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (Number.isInteger(value)) return value.toLocaleString(locale);
  return value.toLocaleString(locale, { maximumFractionDigits: 2 });
}

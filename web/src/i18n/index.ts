// Interface language: Chinese by default, English on request; the choice is kept in localStorage.
// Texts that come from the API carry both languages ({ zh, en }) and are picked with `pick`.
import {
  createContext,
  createElement,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
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
  formatNumber(value: number | null | undefined, unit?: string, digits?: number): string;
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
  // <html lang> follows the language from the first render on (screen readers, fonts, hyphenation).
  useEffect(() => {
    document.documentElement.lang = htmlLang(lang);
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    document.documentElement.lang = htmlLang(next);
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
      formatNumber: (value, unit, digits) => formatNumber(value, unit, lang, digits),
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

export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

const fixed = (digits: number) => ({ minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * Ratios as percentages with one decimal (every row alike), percentage points likewise, money with
 * ¥ and two decimals, counts grouped by thousands, other figures with two decimals at most.
 */
export function formatNumber(
  value: number | null | undefined,
  unit: string | undefined,
  lang: Lang,
  /** Decimals for a plain figure, so a column shows them alike (205.30 beside 61.00, not 61). */
  digits?: number,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  if (unit === 'ratio') return `${(value * 100).toLocaleString(locale, fixed(1))}%`;
  if (unit === 'points')
    return `${(value * 100).toLocaleString(locale, fixed(1))}${lang === 'zh' ? ' 个百分点' : ' pp'}`;
  if (unit === 'yuan') return `¥${value.toLocaleString(locale, fixed(2))}`;
  if (digits !== undefined) return value.toLocaleString(locale, fixed(digits));
  if (Number.isInteger(value)) return value.toLocaleString(locale);
  return value.toLocaleString(locale, fixed(2));
}

/**
 * An axis tick: as few decimals as the tick needs (150, not 150.00), ¥ on money, % on ratios.
 * Ticks are round numbers, so the uneven decimals of a table cannot arise here.
 */
export function formatAxisValue(value: number, unit: string | undefined, lang: Lang): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  const plain = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 2 });
  if (unit === 'ratio' || unit === 'points') return `${plain(value * 100)}%`;
  if (unit === 'yuan') return `¥${plain(value)}`;
  return plain(value);
}

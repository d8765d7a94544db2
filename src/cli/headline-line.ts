// One headline KPI as one line of the terminal, the same for `telmark analyze` and `telmark demo`:
// the figure in its unit with thousands grouped (¥1,234,567.89, not 1234567.89), and the label once
// where both languages spell it alike ("ARPU", not "ARPU ARPU").
import type { Headline } from '../analysis/index.ts';

const grouped = (value: number, decimals: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** The figure in its unit, as a person reads it in the terminal. */
export function formatHeadlineValue(value: number | null, unit: Headline['unit']): string {
  if (value === null || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'ratio':
      return `${grouped(value * 100, 1)} %`;
    case 'points':
      return `${grouped(value * 100, 1)} pp`;
    case 'yuan':
      return `¥${grouped(value, 2)}`;
    case 'count':
      return grouped(value, 0);
    case 'per_user':
    case 'seconds':
      return Number.isInteger(value) ? grouped(value, 0) : grouped(value, 2);
  }
}

/**
 * The change against the compared period: percentage points for rates, a plain difference for a figure
 * that changes sign (net adds), else relative; empty when nothing is compared.
 */
export function formatHeadlineChange(h: Pick<Headline, 'change' | 'changeKind' | 'unit'>): string {
  if (h.change === null || h.change === undefined) return '';
  const sign = h.change >= 0 ? '+' : '-';
  const size = Math.abs(h.change);
  if (h.changeKind === 'points') return `${sign}${grouped(size * 100, 1)} pp`;
  if (h.changeKind === 'difference') return `${sign}${formatHeadlineValue(size, h.unit)}`;
  return `${sign}${grouped(size * 100, 1)} %`;
}

/** The label in both languages, once where they are the same word. */
export function headlineLabel(h: Pick<Headline, 'label'>): string {
  return h.label.zh === h.label.en ? h.label.zh : `${h.label.zh} ${h.label.en}`;
}

/** `  增值业务收入 VAS revenue: ¥1,234,567.89 (+2.1 %)` */
export function headlineLine(h: Headline): string {
  const change = formatHeadlineChange(h);
  return `  ${headlineLabel(h)}: ${formatHeadlineValue(h.value, h.unit)}${change ? ` (${change})` : ''}`;
}

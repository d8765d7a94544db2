// The shape every analysis returns, shared by the CLI (which prints its tables), the HTTP API and the
// dashboard (which draws each section's chart and table without knowing the analysis). Types only.

export interface Bilingual {
  zh: string;
  en: string;
}

/** How a number is shown: ratio as a percentage, yuan with two decimals, count and per-user plainly. */
export type Unit = 'count' | 'ratio' | 'yuan' | 'per_user' | 'seconds';

export interface ResultColumn {
  key: string;
  label: Bilingual;
  unit?: Unit;
}

/**
 * What to draw from a section's rows. Wide form: one series per key in `values`. Long form: `by` names
 * the column whose values become series and `value` the column drawn.
 */
export interface ChartSpec {
  kind: 'line' | 'bar' | 'stacked-bar' | 'pie' | 'heatmap';
  x: string;
  values?: readonly string[];
  by?: string;
  value?: string;
  /** heatmap: the y-axis column. */
  y?: string;
  /** Bars drawn horizontally (long category names). */
  horizontal?: boolean;
  /** An x value to mark with a vertical line (e.g. the before/after date). */
  markX?: string;
  /** Second y-axis for these value keys (e.g. a rate beside counts). */
  rightAxis?: readonly string[];
}

export type ResultRow = Record<string, string | number | null>;

export interface AnalysisSection {
  id: string;
  title: Bilingual;
  note?: Bilingual;
  chart?: ChartSpec;
  columns: readonly ResultColumn[];
  rows: readonly ResultRow[];
  /** Clicking a row or bar with this column sets the URL filter of the same name (region → county drill-down). */
  drill?: { column: string; filter: string };
}

export interface Headline {
  key: string;
  label: Bilingual;
  value: number | null;
  unit: Unit;
  /** Relative change against the previous period of the same length, e.g. 0.05 for +5 %. */
  change?: number | null;
}

export interface AnalysisResult {
  kind: string;
  title: Bilingual;
  from: string;
  to: string;
  headlines?: readonly Headline[];
  sections: readonly AnalysisSection[];
}

// The shape every analysis returns, shared by the CLI (which prints its tables), the HTTP API and the
// dashboard (which draws each section's chart and table without knowing the analysis). Types only.

export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * How a number is shown: ratio as a percentage, points as percentage points (a difference of two
 * ratios), yuan as money, count and per-user plainly.
 */
export type Unit = 'count' | 'ratio' | 'points' | 'yuan' | 'per_user' | 'seconds';

export interface ResultColumn {
  key: string;
  label: Bilingual;
  unit?: Unit;
  /** The catalogue dimension whose labels name this column's values (e.g. "area" holds counties). */
  dimension?: string;
  /** Labels of this column's own coded values (trial / after, a cut week), shown instead of the code. */
  values?: Readonly<Record<string, Bilingual>>;
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
  /** x values of periods the range cuts (drawn lighter: they hold fewer days). */
  partial?: readonly string[];
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
  /** What the figure is, in words a marketer can quote (shown beside the card). */
  definition: Bilingual;
  value: number | null;
  unit: Unit;
  /**
   * Change against `comparison`: relative for counts and money (0.05 = +5 %), in percentage points for
   * rates (0.012 = +1.2 pp), as a plain difference for a figure that can change sign (net adds).
   */
  change?: number | null;
  changeKind?: 'relative' | 'points' | 'difference';
  /** Which way is good for the business (colours the change); absent: neither. */
  better?: 'up' | 'down';
  /** The period compared against, or why no change is shown; absent where nothing is compared (one KPI query). */
  comparison?: Bilingual;
  /** The change against the same period a year before, when the warehouse holds it (same kind as `change`). */
  yearOnYear?: { change: number; comparison: Bilingual };
}

export interface AnalysisResult {
  kind: string;
  title: Bilingual;
  from: string;
  to: string;
  /** The time grain the trends are drawn at; absent when the analysis has no grain to choose. */
  grain?: 'day' | 'week' | 'month';
  /** The date the before/after views compare at (the 12580 effect), whether chosen or defaulted. */
  cutover?: string;
  headlines?: readonly Headline[];
  sections: readonly AnalysisSection[];
}

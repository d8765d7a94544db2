// The start of a day's period (day, week from Monday, month) as 'YYYY-MM-DD' text, in the dialect of
// the warehouse the analysis runs on, so the two engines give the same keys.
import type { TimeGrain } from '../metrics/index.ts';
import type { AnalysisContext } from './analysis-context.ts';

export function periodText(context: AnalysisContext, grain: TimeGrain, day: string): string {
  if (context.warehouse.engine !== 'clickhouse') return `CAST(CAST(date_trunc('${grain}', ${day}) AS DATE) AS VARCHAR)`;
  if (grain === 'week') return `toString(toMonday(${day}))`;
  if (grain === 'month') return `toString(toStartOfMonth(${day}))`;
  return `toString(${day})`;
}

/** 'YYYY-MM' of a day, in the warehouse's dialect. */
export function monthText(context: AnalysisContext, day: string): string {
  return context.warehouse.engine === 'clickhouse'
    ? `substring(toString(${day}), 1, 7)`
    : `strftime(date_trunc('month', ${day}), '%Y-%m')`;
}

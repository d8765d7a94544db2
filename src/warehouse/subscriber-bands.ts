// The bands subscribers are grouped into (ARPU, tenure, age). They live beside the tables because the
// loader writes them into the segment aggregates and the metrics layer filters and labels them: one
// CASE expression each, so both always agree.

/** Monthly bill in yuan: lower bound inclusive. */
export const arpuBands = ['0-30', '30-60', '60-100', '100-200', '200+'] as const;
export const tenureBands = ['<6m', '6-12m', '1-2y', '2-5y', '5y+'] as const;
export const ageBands = ['<25', '25-34', '35-44', '45-54', '55+'] as const;

/** SQL for the ARPU band of a monthly fee expression (yuan). */
export function arpuBandSql(feeExpr: string): string {
  return `CASE WHEN ${feeExpr} IS NULL THEN NULL WHEN ${feeExpr} < 30 THEN '0-30' WHEN ${feeExpr} < 60 THEN '30-60' WHEN ${feeExpr} < 100 THEN '60-100' WHEN ${feeExpr} < 200 THEN '100-200' ELSE '200+' END`;
}

/** SQL for the tenure band of a subscriber activated on `activatedExpr`, as of `asOfExpr`. */
export function tenureBandSql(activatedExpr: string, asOfExpr: string): string {
  const months = `date_diff('month', ${activatedExpr}, ${asOfExpr})`;
  return `CASE WHEN ${months} < 6 THEN '<6m' WHEN ${months} < 12 THEN '6-12m' WHEN ${months} < 24 THEN '1-2y' WHEN ${months} < 60 THEN '2-5y' ELSE '5y+' END`;
}

/** SQL for the age band of someone born in `birthYearExpr`, as of `asOfExpr`. */
export function ageBandSql(birthYearExpr: string, asOfExpr: string): string {
  const age = `(year(${asOfExpr}) - ${birthYearExpr})`;
  return `CASE WHEN ${age} < 25 THEN '<25' WHEN ${age} < 35 THEN '25-34' WHEN ${age} < 45 THEN '35-44' WHEN ${age} < 55 THEN '45-54' ELSE '55+' END`;
}

/**
 * The same bands in ClickHouse 18.16's words (no date_diff there): months are counted as DuckDB's
 * date_diff('month') counts them, by month boundaries crossed, so both engines band alike.
 */
export const clickhouseBandSql = {
  tenure(activatedExpr: string, asOfExpr: string): string {
    return tenureBandSql(activatedExpr, asOfExpr).replaceAll(
      `date_diff('month', ${activatedExpr}, ${asOfExpr})`,
      `((toYear(${asOfExpr}) * 12 + toMonth(${asOfExpr})) - (toYear(${activatedExpr}) * 12 + toMonth(${activatedExpr})))`,
    );
  },
  age(birthYearExpr: string, asOfExpr: string): string {
    return ageBandSql(birthYearExpr, asOfExpr).replaceAll(`year(${asOfExpr})`, `toYear(${asOfExpr})`);
  },
  arpu: arpuBandSql,
};

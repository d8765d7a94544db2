// The uplift features of every subscriber, read from the warehouse as of one day: one row per
// msisdn with the audience attribute names as columns, for the campaign to join with its pilot
// assignment (contacted or control, responded or not) and hand to `discoverUpliftRules`.
import { sqlLiteral } from '../../warehouse/index.ts';
import { AppError } from '../../shared/errors.ts';

/** The feature columns, in the order `upliftFeaturesSql` selects them after `msisdn`. */
export const upliftFeatureNames = [
  'brand',
  'county',
  'plan',
  'gender',
  'area_type',
  'age',
  'tenure_months',
  'arpu',
] as const;
export type UpliftFeatureName = (typeof upliftFeatureNames)[number];

/**
 * SQL selecting `msisdn, brand, county, plan, gender, area_type, age, tenure_months, arpu` for every
 * subscriber known on `asOf` (YYYY-MM-DD; default the last day of loaded data): age in years
 * (year(asOf) − birth_year), tenure in whole months, ARPU = the latest bill (yuan) of a month not after
 * asOf's month, area_type = the area type of the cell the subscriber was seen in most (signalling up
 * to asOf; NULL without signalling). No parameters: the date is checked and written as a literal.
 */
export function upliftFeaturesSql(asOf?: string): string {
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new AppError('INPUT_INVALID', `as-of date "${asOf}" must be YYYY-MM-DD`, { location: { field: 'asOf' } });
  const day =
    asOf === undefined
      ? `(SELECT coalesce(max(day), current_date) FROM agg_area_day)`
      : `CAST(${sqlLiteral(asOf)} AS DATE)`;
  return `WITH as_of AS (SELECT ${day} AS d),
seen AS (
  SELECT g.msisdn, c.area_type, count(*) AS events
  FROM signalling g JOIN cells c ON c.cell_id = g.cell_id, as_of
  WHERE g.ts < as_of.d + INTERVAL 1 DAY
  GROUP BY g.msisdn, c.area_type
),
-- Ties go to the first area type by name, so the same data always gives the same answer.
home_area AS (
  SELECT msisdn, area_type FROM seen
  QUALIFY row_number() OVER (PARTITION BY msisdn ORDER BY events DESC, area_type) = 1
),
bills AS (
  SELECT b.msisdn, arg_max(CAST(b.total_fee AS DOUBLE), b.month) AS arpu
  FROM billing b, as_of WHERE b.month <= date_trunc('month', as_of.d) GROUP BY b.msisdn
)
SELECT s.msisdn, s.brand, s.county, s.plan_id AS plan, s.gender, h.area_type,
  CAST(year(as_of.d) - s.birth_year AS INTEGER) AS age,
  CAST(date_diff('month', s.activated_on, as_of.d) AS INTEGER) AS tenure_months,
  round(bl.arpu, 2) AS arpu
FROM subscribers s CROSS JOIN as_of
LEFT JOIN home_area h ON h.msisdn = s.msisdn
LEFT JOIN bills bl ON bl.msisdn = s.msisdn
WHERE s.activated_on <= as_of.d
ORDER BY s.msisdn`;
}

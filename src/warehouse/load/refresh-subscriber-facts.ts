// Rebuilds subscriber_facts (see tables/audience-tables.ts) from the snapshots, the bills, the
// subscriptions and the signalling: one row per subscriber, as of the data's last day. Run at the end
// of every load, after the derived tables, so it always agrees with them.
import type { Warehouse } from '../warehouse.ts';

/**
 * The data's last day: the last day of the daily aggregates, or, for a warehouse of snapshots only,
 * the last day a subscriber changed. Never the wall clock: a warehouse loaded twice gives the same facts.
 */
const asOfSql = `coalesce((SELECT max(day) FROM agg_area_day),
  (SELECT max(greatest(activated_on, status_changed_on)) FROM subscribers))`;

const factsSql = `
  INSERT INTO subscriber_facts (msisdn, brand, region, county, plan_id, gender, status, status_changed_on, activated_on,
    birth_year, as_of, age, tenure_months, active, arpu, arpu_month, area_type, services_held)
  WITH as_of AS (SELECT ${asOfSql} AS day),
  latest_bill AS (
    SELECT msisdn, month, total_fee FROM billing
    WHERE month <= (SELECT day FROM as_of)
    QUALIFY row_number() OVER (PARTITION BY msisdn ORDER BY month DESC) = 1
  ),
  seen AS (
    SELECT msisdn, cell_id FROM signalling GROUP BY msisdn, cell_id
    QUALIFY row_number() OVER (PARTITION BY msisdn ORDER BY count(*) DESC, cell_id) = 1
  ),
  held AS (
    SELECT msisdn, count(DISTINCT service_id) AS services_held FROM subscriptions
    WHERE started_on <= (SELECT day FROM as_of) AND (ended_on IS NULL OR ended_on > (SELECT day FROM as_of))
    GROUP BY msisdn
  )
  SELECT u.msisdn, u.brand, u.region, u.county, u.plan_id, u.gender, u.status, u.status_changed_on, u.activated_on,
         u.birth_year, a.day, year(a.day) - u.birth_year, date_diff('month', u.activated_on, a.day),
         u.activated_on <= a.day AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= a.day),
         b.total_fee, b.month, c.area_type, coalesce(h.services_held, 0)
  FROM subscribers u CROSS JOIN as_of a
  LEFT JOIN latest_bill b ON b.msisdn = u.msisdn
  LEFT JOIN seen s ON s.msisdn = u.msisdn
  LEFT JOIN cells c ON c.cell_id = s.cell_id
  LEFT JOIN held h ON h.msisdn = u.msisdn`;

/** Replaces every row of subscriber_facts; returns how many subscribers it now holds. */
export async function refreshSubscriberFacts(warehouse: Warehouse): Promise<number> {
  return warehouse.transaction(async (tx) => {
    await tx.run('DELETE FROM subscriber_facts');
    await tx.run(factsSql);
    return tx.scalar('SELECT count(*) FROM subscriber_facts');
  });
}

// Rebuilds subscriber_facts (see tables/audience-tables.ts) from the snapshots, the bills, the
// subscriptions and the signalling: one row per subscriber, as of the data's last day. Run at the end
// of every load, after the derived tables, so it always agrees with them.
import { dataVersion } from '../data-version.ts';
import { factsUsageMeasures, factsUsageWindows } from '../tables/audience-tables.ts';
import type { Warehouse } from '../warehouse.ts';

/**
 * The data's last day: the last day of the daily aggregates, or, for a warehouse of snapshots only,
 * the last day a subscriber changed. Never the wall clock: a warehouse loaded twice gives the same facts.
 */
const asOfSql = `coalesce((SELECT max(day) FROM agg_area_day),
  (SELECT max(greatest(activated_on, status_changed_on)) FROM subscribers))`;

const usageNames = factsUsageMeasures.flatMap((m) => factsUsageWindows.map((d) => ({ m, d, name: `${m}_${d}d` })));
const widest = Math.max(...factsUsageWindows);

const factsSql = `
  INSERT INTO subscriber_facts (msisdn, brand, region, county, plan_id, gender, status, status_changed_on, activated_on,
    birth_year, as_of, age, tenure_months, active, arpu, arpu_month, area_type, services_held, held_services,
    ${usageNames.map((u) => u.name).join(', ')})
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
    SELECT msisdn, count(DISTINCT service_id) AS services_held, list(DISTINCT service_id ORDER BY service_id) AS held_services
    FROM subscriptions
    WHERE started_on <= (SELECT day FROM as_of) AND (ended_on IS NULL OR ended_on > (SELECT day FROM as_of))
    GROUP BY msisdn
  ),
  used AS (
    SELECT msisdn, ${usageNames.map((u) => `sum(${u.m}) FILTER (day > (SELECT day FROM as_of) - ${u.d}) AS ${u.name}`).join(', ')}
    FROM agg_subscriber_day
    WHERE day > (SELECT day FROM as_of) - ${widest} AND day <= (SELECT day FROM as_of)
    GROUP BY msisdn
  )
  SELECT u.msisdn, u.brand, u.region, u.county, u.plan_id, u.gender, u.status, u.status_changed_on, u.activated_on,
         u.birth_year, a.day, year(a.day) - u.birth_year, date_diff('month', u.activated_on, a.day),
         u.activated_on <= a.day AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= a.day),
         b.total_fee, b.month, c.area_type, coalesce(h.services_held, 0), coalesce(h.held_services, []),
         ${usageNames.map((u) => `coalesce(x.${u.name}, 0)`).join(', ')}
  FROM subscribers u CROSS JOIN as_of a
  LEFT JOIN latest_bill b ON b.msisdn = u.msisdn
  LEFT JOIN seen s ON s.msisdn = u.msisdn
  LEFT JOIN cells c ON c.cell_id = s.cell_id
  LEFT JOIN held h ON h.msisdn = u.msisdn
  LEFT JOIN used x ON x.msisdn = u.msisdn`;

/** Replaces every row of subscriber_facts; returns how many subscribers it now holds. */
export async function refreshSubscriberFacts(warehouse: Warehouse): Promise<number> {
  const version = await dataVersion(warehouse);
  return warehouse.transaction(async (tx) => {
    await tx.run('DELETE FROM subscriber_facts');
    await tx.run(factsSql);
    // Recorded with the rows, so a load killed before or during the refresh is caught up by the next.
    await tx.run(
      `INSERT INTO meta (key, value) VALUES ('subscriber_facts_of', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [version],
    );
    return tx.scalar('SELECT count(*) FROM subscriber_facts');
  });
}

/**
 * Refreshes subscriber_facts when the data changed since it was last built (a new file, a rebuild of
 * the aggregates), and only then: a re-run that loaded nothing costs one lookup.
 */
export async function refreshSubscriberFactsIfStale(warehouse: Warehouse): Promise<boolean> {
  const [version, built] = await Promise.all([
    dataVersion(warehouse),
    warehouse.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'subscriber_facts_of'`),
  ]);
  if (built?.value === version) return false;
  await refreshSubscriberFacts(warehouse);
  return true;
}

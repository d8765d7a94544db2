// The audiences' tables (src/campaigns/audiences/). subscriber_facts holds one row per subscriber with
// what audience conditions filter on most, joined once per load instead of once per preview: the
// builder asks for a size on every change and must answer in well under a second on a million rows.
// It is rebuilt whole at the end of every load (refreshSubscriberFacts); other domains (the customer
// profile) may read it too.

/** agg_subscriber_day measures kept as 7- and 30-day totals: `sms_out_7d`, `sms_out_30d`, … */
export const factsUsageMeasures = [
  'sms_out',
  'calls_out',
  'calls_in',
  'call_seconds',
  'ivr_calls',
  'wap_visits',
  'vas_events',
] as const;
export const factsUsageWindows = [7, 30] as const;
const usageColumns = factsUsageMeasures
  .flatMap((m) => factsUsageWindows.map((d) => `${m}_${d}d BIGINT NOT NULL`))
  .join(', ');

export const audienceTables: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS subscriber_facts (
     msisdn VARCHAR PRIMARY KEY,
     brand VARCHAR NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL, plan_id VARCHAR NOT NULL,
     gender VARCHAR NOT NULL, status VARCHAR NOT NULL, status_changed_on DATE NOT NULL,
     activated_on DATE NOT NULL, birth_year INTEGER NOT NULL,
     as_of DATE NOT NULL,             -- the data's last day, which age, tenure and active are computed for
     age INTEGER NOT NULL,            -- years, year(as_of) - birth_year (as the age bands count)
     tenure_months INTEGER NOT NULL,  -- whole months from activated_on to as_of
     active BOOLEAN NOT NULL,         -- activated and not closed or suspended on as_of
     arpu DECIMAL(12,2),              -- yuan, the bill of the latest billed month; NULL without one
     arpu_month DATE,
     area_type VARCHAR,               -- area type of the cell the subscriber was seen in most; NULL if never seen
     services_held INTEGER NOT NULL,  -- subscriptions open on as_of
     held_services VARCHAR[] NOT NULL, -- their services, sorted
     -- activity totals over the 7 and 30 days up to as_of (0 without activity)
     ${usageColumns})`,
  // A saved audience is never changed: saving it again adds a version.
  `CREATE SEQUENCE IF NOT EXISTS audience_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS audiences (
     id INTEGER NOT NULL, version INTEGER NOT NULL, name VARCHAR NOT NULL, definition VARCHAR NOT NULL,
     created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, PRIMARY KEY (id, version))`,
];

// Tables of the customer profile the call centre sees (src/customers/). customer_facts holds one row
// per subscriber, rebuilt at the end of every load (load/customer-facts-sql.ts), so that a profile is
// one keyed read instead of scans of the detail tables; customer_outcomes keeps what agents recorded.
export const customerTables: readonly string[] = [
  // As of the last loaded day (as_of). JSON columns hold the short lists a profile shows whole:
  // bills (last 6 months), service spells with their history, use per service over the last 30 days.
  `CREATE TABLE IF NOT EXISTS customer_facts (
     msisdn VARCHAR PRIMARY KEY, as_of DATE NOT NULL, brand VARCHAR NOT NULL, region VARCHAR NOT NULL,
     county VARCHAR NOT NULL, plan_id VARCHAR NOT NULL, plan_name VARCHAR, plan_fee DECIMAL(12,2),
     activated_on DATE NOT NULL, birth_year INTEGER NOT NULL, gender VARCHAR NOT NULL, status VARCHAR NOT NULL,
     status_changed_on DATE NOT NULL, tenure_months INTEGER NOT NULL, tenure_band VARCHAR NOT NULL,
     age_band VARCHAR NOT NULL, arpu_band VARCHAR, bills VARCHAR NOT NULL, services VARCHAR NOT NULL,
     usage VARCHAR NOT NULL, active_days_30d INTEGER NOT NULL, sms_out_30d INTEGER NOT NULL,
     ivr_calls_30d INTEGER NOT NULL, wap_visits_30d INTEGER NOT NULL, vas_events_30d INTEGER NOT NULL,
     events_last_7d INTEGER NOT NULL, events_prior_7d INTEGER NOT NULL, complaint_calls_30d INTEGER NOT NULL,
     p2p_sms_30d INTEGER NOT NULL, offnet_sms_30d INTEGER NOT NULL, cancels_30d INTEGER NOT NULL)`,
  `CREATE SEQUENCE IF NOT EXISTS customer_outcome_seq START 1`,
  // One row per recommendation an agent answered. Campaign evaluation reads it as a response:
  // source 'agent', msisdn, service_id, recorded_at; outcome 'accepted' is a take-up.
  `CREATE TABLE IF NOT EXISTS customer_outcomes (
     outcome_id BIGINT PRIMARY KEY DEFAULT nextval('customer_outcome_seq'),
     msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL, outcome VARCHAR NOT NULL, agent VARCHAR NOT NULL,
     recorded_at TIMESTAMP NOT NULL, offer_rank INTEGER, offer_source VARCHAR, model_version VARCHAR,
     source VARCHAR NOT NULL DEFAULT 'agent')`,
  // The agent outcomes in the shape of a response, for campaign evaluation and the next training:
  // source 'agent', msisdn, service_id, responded_at; accepted = a take-up.
  `CREATE VIEW IF NOT EXISTS customer_responses AS
     SELECT source, msisdn, service_id, recorded_at AS responded_at, outcome, outcome = 'accepted' AS accepted, agent,
            offer_source, model_version
     FROM customer_outcomes`,
  // A profile reads these rows by number: keyed reads instead of scans of tables that hold a row (or
  // three) per subscriber. The tables belong to mining and channels; the look-up by number is ours.
  `CREATE INDEX IF NOT EXISTS customer_churn_scores_by_msisdn ON mining_churn_scores (msisdn)`,
  `CREATE INDEX IF NOT EXISTS customer_offers_by_msisdn ON mining_offers (msisdn)`,
  `CREATE INDEX IF NOT EXISTS customer_outbox_by_subscriber ON channel_outbox (subscriber)`,
  `CREATE INDEX IF NOT EXISTS customer_responses_by_msisdn ON channel_responses (msisdn)`,
  `CREATE INDEX IF NOT EXISTS customer_outcomes_by_msisdn ON customer_outcomes (msisdn)`,
];

// The warehouse's tables. Detail tables mirror the feeds (typed, plus the file each row came from);
// derived tables are rebuilt by the loader so that analyses never scan raw events.
// Bump SCHEMA_VERSION and add a migration in migrate.ts when a table changes.
import { accessTables } from './tables/access-tables.ts';

import { miningTables } from './tables/mining-tables.ts';
import { streamTables } from './tables/stream-tables.ts';
import { streamRuleTables } from './tables/stream-rule-tables.ts';
import { anomalyTables } from './tables/anomaly-tables.ts';

import { channelTableStatements } from './tables/channel-tables.ts';
import { areaUsageTables } from './tables/area-usage-tables.ts';
import { triggerRewardTables } from './tables/trigger-reward-tables.ts';
import { campaignTables } from './tables/campaign-tables.ts';
import { audienceTables } from './tables/audience-tables.ts';
import { customerTables } from './tables/customer-tables.ts';
import { alertTables } from './tables/alert-tables.ts';
import { campaignPauseTables } from './tables/campaign-pause-tables.ts';

export const SCHEMA_VERSION = 3;

export const schemaStatements: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,

  // One row per file ever loaded; a file is loaded in the same transaction that records it.
  `CREATE SEQUENCE IF NOT EXISTS load_file_seq START 1`,
  `CREATE TABLE IF NOT EXISTS load_files (
     file_id INTEGER PRIMARY KEY,
     file_name VARCHAR NOT NULL,
     feed VARCHAR NOT NULL,
     period VARCHAR,
     sha256 VARCHAR NOT NULL,
     bytes BIGINT NOT NULL,
     rows_read BIGINT NOT NULL,
     rows_loaded BIGINT NOT NULL,
     rows_quarantined BIGINT NOT NULL,
     notes VARCHAR,
     loaded_at TIMESTAMP NOT NULL,
     replaced_by INTEGER
   )`,
  `CREATE TABLE IF NOT EXISTS quarantine (
     file_id INTEGER NOT NULL,
     file_name VARCHAR NOT NULL,
     line BIGINT,
     field VARCHAR,
     reason VARCHAR NOT NULL,
     raw VARCHAR
   )`,
  // Days whose aggregates must be rebuilt; written with the file, cleared with the rebuild.
  `CREATE TABLE IF NOT EXISTS dirty_days (day DATE PRIMARY KEY)`,

  // Snapshots
  `CREATE TABLE IF NOT EXISTS cells (
     cell_id VARCHAR PRIMARY KEY, lac INTEGER NOT NULL, ci INTEGER NOT NULL, name VARCHAR NOT NULL,
     lat DOUBLE NOT NULL, lon DOUBLE NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL,
     area_type VARCHAR NOT NULL, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS plans (
     plan_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, brand VARCHAR NOT NULL, monthly_fee DECIMAL(12,2) NOT NULL,
     voice_minutes INTEGER NOT NULL, sms INTEGER NOT NULL, data_mb INTEGER NOT NULL, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS services (
     service_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, category VARCHAR NOT NULL,
     monthly_fee DECIMAL(12,2) NOT NULL, trial_months INTEGER NOT NULL, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS subscribers (
     msisdn VARCHAR PRIMARY KEY, brand VARCHAR NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL,
     plan_id VARCHAR NOT NULL, activated_on DATE NOT NULL, birth_year INTEGER NOT NULL, gender VARCHAR NOT NULL,
     status VARCHAR NOT NULL, status_changed_on DATE NOT NULL, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS subscriptions_opening (
     msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL, subscribed_on DATE NOT NULL, channel VARCHAR NOT NULL,
     trial BOOLEAN NOT NULL, file_id INTEGER NOT NULL)`,

  // Detail
  `CREATE TABLE IF NOT EXISTS orders (
     order_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL,
     action VARCHAR NOT NULL, channel VARCHAR NOT NULL, trial BOOLEAN NOT NULL, confirmed BOOLEAN NOT NULL,
     campaign_id VARCHAR, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS billing (
     msisdn VARCHAR NOT NULL, month DATE NOT NULL, total_fee DECIMAL(12,2) NOT NULL, voice_fee DECIMAL(12,2) NOT NULL,
     sms_fee DECIMAL(12,2) NOT NULL, data_fee DECIMAL(12,2) NOT NULL, vas_fee DECIMAL(12,2) NOT NULL,
     file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS sms (
     ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL, peer VARCHAR NOT NULL, kind VARCHAR NOT NULL,
     service_id VARCHAR, forwarded BOOLEAN NOT NULL, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS wap (
     ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL, host VARCHAR NOT NULL, service_id VARCHAR, bytes BIGINT NOT NULL,
     file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ivr (
     ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL, access_code VARCHAR NOT NULL, duration_s INTEGER NOT NULL,
     menu VARCHAR, file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crbt (
     ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL, action VARCHAR NOT NULL, tone_id VARCHAR NOT NULL,
     file_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS web (
     ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL, path VARCHAR NOT NULL, action VARCHAR NOT NULL,
     file_id INTEGER NOT NULL)`,
  // The largest feed. Its text columns name their compression: left to choose, DuckDB tries every
  // method on every segment it writes, which cost about a third of the CPU of a validated load of a
  // signalling file (numbers are FSST's in any case, events and cells a dictionary's). A warehouse
  // created before keeps its table and DuckDB's own choice: only the load is slower.
  `CREATE TABLE IF NOT EXISTS signalling (
     ts TIMESTAMP NOT NULL, msisdn VARCHAR NOT NULL USING COMPRESSION fsst,
     event VARCHAR NOT NULL USING COMPRESSION dictionary, cell_id VARCHAR NOT NULL USING COMPRESSION dictionary,
     peer VARCHAR USING COMPRESSION fsst, duration_s INTEGER NOT NULL, file_id INTEGER NOT NULL)`,

  // Derived: who holds which service from when to when (opening balance + orders).
  `CREATE TABLE IF NOT EXISTS subscriptions (
     msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL, started_on DATE NOT NULL, ended_on DATE,
     channel VARCHAR NOT NULL, cancel_channel VARCHAR, trial BOOLEAN NOT NULL, trial_ends_on DATE,
     from_opening BOOLEAN NOT NULL, trial_uses INTEGER)`,

  // Derived: per subscriber x service x day. usage_events counts any use of the service that day.
  `CREATE TABLE IF NOT EXISTS agg_subscriber_service_day (
     day DATE NOT NULL, msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL,
     orders INTEGER NOT NULL, cancels INTEGER NOT NULL, trial_orders INTEGER NOT NULL,
     sms_mt INTEGER NOT NULL, sms_mo INTEGER NOT NULL, sms_forwards INTEGER NOT NULL,
     wap_visits INTEGER NOT NULL, wap_bytes BIGINT NOT NULL,
     ivr_calls INTEGER NOT NULL, ivr_seconds INTEGER NOT NULL,
     crbt_sets INTEGER NOT NULL, crbt_changes INTEGER NOT NULL, crbt_downloads INTEGER NOT NULL,
     usage_events INTEGER NOT NULL)`,

  // Derived: per subscriber x day. calls_* and signalling_events come from signalling (only on days it
  // was delivered); sms_out counts SMS sent (p2p_mo, sp_mo) from the SMS feed.
  `CREATE TABLE IF NOT EXISTS agg_subscriber_day (
     day DATE NOT NULL, msisdn VARCHAR NOT NULL,
     calls_out INTEGER NOT NULL, calls_in INTEGER NOT NULL, call_seconds INTEGER NOT NULL,
     sms_out INTEGER NOT NULL, ivr_calls INTEGER NOT NULL, wap_visits INTEGER NOT NULL,
     vas_events INTEGER NOT NULL, signalling_events INTEGER NOT NULL)`,

  // Derived: per region x county x brand x plan x service x day. holders = subscriptions open at day
  // end, paying_holders = those past any free trial; the use columns feed the activity measures.
  `CREATE TABLE IF NOT EXISTS agg_area_service_day (
     day DATE NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL, brand VARCHAR NOT NULL,
     plan_id VARCHAR NOT NULL, service_id VARCHAR NOT NULL,
     holders INTEGER NOT NULL, paying_holders INTEGER NOT NULL, orders INTEGER NOT NULL, cancels INTEGER NOT NULL,
     trial_orders INTEGER NOT NULL, unconfirmed_orders INTEGER NOT NULL, users_active INTEGER NOT NULL,
     usage_events BIGINT NOT NULL, sms_mt BIGINT NOT NULL, sms_forwards BIGINT NOT NULL, wap_visits BIGINT NOT NULL,
     ivr_calls BIGINT NOT NULL, crbt_changes BIGINT NOT NULL)`,

  // Derived: per subscriber x service x month, the days of the month (bit d-1 for day d) the service was
  // held at day end, used at all, called by IVR and visited by WAP: "held on day t and used between two
  // dates" without a join, at a tenth of the rows of the per-day table.
  `CREATE TABLE IF NOT EXISTS agg_subscriber_service_month (
     month DATE NOT NULL, msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL, held_days UINTEGER NOT NULL,
     used_days UINTEGER NOT NULL, ivr_days UINTEGER NOT NULL, wap_days UINTEGER NOT NULL)`,

  // Derived: subscribers seen (signalling) in cells of each kind of area per day, by their home county
  // and brand: the brand mix of campuses, stations, offices.
  `CREATE TABLE IF NOT EXISTS agg_area_type_day (
     day DATE NOT NULL, area_type VARCHAR NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL,
     brand VARCHAR NOT NULL, subscribers INTEGER NOT NULL)`,

  // Derived: subscribers and active users per segment (area, brand, plan, tenure, age, ARPU band) x day.
  // Bands are as of the day; the ARPU band is that of the latest billed month.
  `CREATE TABLE IF NOT EXISTS agg_segment_day (
     day DATE NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL, brand VARCHAR NOT NULL,
     plan_id VARCHAR NOT NULL, tenure_band VARCHAR NOT NULL, age_band VARCHAR NOT NULL, arpu_band VARCHAR,
     subscribers_active INTEGER NOT NULL, users_active INTEGER NOT NULL)`,

  // Derived: the bills per segment x month; tenure and age as of the month's last day, the ARPU band
  // of the bill itself. Segment columns are NULL for a bill whose subscriber is unknown.
  `CREATE TABLE IF NOT EXISTS agg_billing_segment_month (
     month DATE NOT NULL, region VARCHAR, county VARCHAR, brand VARCHAR, plan_id VARCHAR, tenure_band VARCHAR,
     age_band VARCHAR, arpu_band VARCHAR, billed_subscribers INTEGER NOT NULL, revenue DECIMAL(18,2) NOT NULL,
     voice_fee DECIMAL(18,2) NOT NULL, sms_fee DECIMAL(18,2) NOT NULL, data_fee DECIMAL(18,2) NOT NULL,
     vas_fee DECIMAL(18,2) NOT NULL)`,

  // Derived: per region x county x brand x day: subscriber base (for penetration and active rate).
  `CREATE TABLE IF NOT EXISTS agg_area_day (
     day DATE NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL, brand VARCHAR NOT NULL,
     subscribers_active INTEGER NOT NULL, users_active INTEGER NOT NULL, activations INTEGER NOT NULL,
     closures INTEGER NOT NULL)`,

  // Derived: per order channel x service x day (order/cancel channel sources).
  `CREATE TABLE IF NOT EXISTS agg_channel_service_day (
     day DATE NOT NULL, channel VARCHAR NOT NULL, service_id VARCHAR NOT NULL, county VARCHAR NOT NULL,
     brand VARCHAR NOT NULL, orders INTEGER NOT NULL, cancels INTEGER NOT NULL, unconfirmed_orders INTEGER NOT NULL)`,

  // Derived: IVR access codes (114, 12580, ...) per county x brand x day: the effect tables of the 12580 case.
  `CREATE TABLE IF NOT EXISTS agg_ivr_area_day (
     day DATE NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL, brand VARCHAR NOT NULL,
     access_code VARCHAR NOT NULL, calls INTEGER NOT NULL, callers INTEGER NOT NULL, seconds BIGINT NOT NULL)`,

  // Derived: signalling per cell x hour, for area views without scanning events.
  `CREATE TABLE IF NOT EXISTS agg_cell_hour (
     day DATE NOT NULL, hour TINYINT NOT NULL, cell_id VARCHAR NOT NULL, events INTEGER NOT NULL,
     subscribers INTEGER NOT NULL, calls_out INTEGER NOT NULL, calls_114 INTEGER NOT NULL,
     calls_12580 INTEGER NOT NULL)`,

  // Tables of the domains above the warehouse, one file each under ./tables/.
  ...streamTables,
  ...miningTables,
  ...anomalyTables,
  ...accessTables,
  ...channelTableStatements,
  ...areaUsageTables,
  ...triggerRewardTables,
  ...campaignTables,
  ...audienceTables,
  ...customerTables,
  ...alertTables,
  ...streamRuleTables,
  ...campaignPauseTables,
];

/** Detail table a feed loads into. */
export const feedTables = {
  cells: 'cells',
  plans: 'plans',
  services: 'services',
  subscribers: 'subscribers',
  subscriptions: 'subscriptions_opening',
  orders: 'orders',
  billing: 'billing',
  sms: 'sms',
  wap: 'wap',
  ivr: 'ivr',
  crbt: 'crbt',
  web: 'web',
  signalling: 'signalling',
} as const;

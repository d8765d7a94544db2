// The stream's tables: the outbox of decisions (drained later by the SMS channel), the rule store the
// API edits, opt-outs, and responses (orders after a trigger or a control). Created at open.
export const streamTables: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS stream_outbox (
     decision_id VARCHAR PRIMARY KEY,
     rule_id VARCHAR NOT NULL,
     rule_version INTEGER NOT NULL,
     msisdn VARCHAR NOT NULL,
     area VARCHAR NOT NULL,
     message VARCHAR NOT NULL,
     service_id VARCHAR,
     event_ts TIMESTAMP NOT NULL,
     decided_at TIMESTAMP NOT NULL,
     status VARCHAR NOT NULL,      -- pending (to send), sent, control (held out), suppressed
     suppression VARCHAR,          -- cap, opted_out, quiet_hours
     reason VARCHAR NOT NULL,
     sent_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS stream_rules (
     rule_id VARCHAR PRIMARY KEY,
     version INTEGER NOT NULL,
     paused BOOLEAN NOT NULL,
     definition JSON NOT NULL,
     updated_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS stream_geofences (
     geofence_id VARCHAR PRIMARY KEY,
     definition JSON NOT NULL,
     updated_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS stream_opt_outs (msisdn VARCHAR PRIMARY KEY, since TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS stream_responses (
     decision_id VARCHAR PRIMARY KEY,
     rule_id VARCHAR NOT NULL,
     msisdn VARCHAR NOT NULL,
     area VARCHAR NOT NULL,
     grp VARCHAR NOT NULL,         -- triggered or control
     service_id VARCHAR NOT NULL,
     order_ts TIMESTAMP NOT NULL)`,
];

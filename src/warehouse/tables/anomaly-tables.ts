// Tables of the anomaly detectors and of alert routing (src/anomalies, src/alerts).
export const anomalyTables: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS anomaly_ids START 1`,
  // One row per finding: a series (KPI x slice) on a day, with what was seen and expected. Detection
  // over a day range replaces that range's rows, so re-running a load never doubles them.
  `CREATE TABLE IF NOT EXISTS anomalies (
     id BIGINT PRIMARY KEY DEFAULT nextval('anomaly_ids'), series VARCHAR NOT NULL, kpi VARCHAR NOT NULL,
     dimensions VARCHAR NOT NULL, day DATE NOT NULL, kind VARCHAR NOT NULL, observed DOUBLE NOT NULL,
     expected DOUBLE NOT NULL, band_low DOUBLE NOT NULL, band_high DOUBLE NOT NULL, score DOUBLE NOT NULL,
     p_value DOUBLE, severity VARCHAR NOT NULL, explanation_zh VARCHAR NOT NULL, explanation_en VARCHAR NOT NULL,
     detected_at TIMESTAMP NOT NULL, UNIQUE (series, day, kind))`,
  // Alert routing state: routes (JSON), silences, the open groups and what was queued for sending.
  `CREATE SEQUENCE IF NOT EXISTS alert_ids START 1`,
  `CREATE TABLE IF NOT EXISTS alert_routes (name VARCHAR PRIMARY KEY, position INTEGER NOT NULL, spec VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_oncall_groups (name VARCHAR PRIMARY KEY, spec VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_silences (
     id BIGINT PRIMARY KEY DEFAULT nextval('alert_ids'), matcher VARCHAR NOT NULL, starts_at TIMESTAMP NOT NULL,
     ends_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL, comment VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_groups (
     group_key VARCHAR PRIMARY KEY, route VARCHAR NOT NULL, status VARCHAR NOT NULL, severity VARCHAR NOT NULL,
     anomaly_ids VARCHAR NOT NULL, summary_zh VARCHAR NOT NULL, summary_en VARCHAR NOT NULL,
     first_at TIMESTAMP NOT NULL, last_change_at TIMESTAMP NOT NULL, last_sent_at TIMESTAMP, step INTEGER NOT NULL,
     step_at TIMESTAMP, ack_token VARCHAR NOT NULL, acked_by VARCHAR, acked_at TIMESTAMP, silenced_by BIGINT)`,
  `CREATE TABLE IF NOT EXISTS alert_messages (
     id BIGINT PRIMARY KEY DEFAULT nextval('alert_ids'), group_key VARCHAR NOT NULL, queued_at TIMESTAMP NOT NULL,
     channel VARCHAR NOT NULL, address VARCHAR NOT NULL, subject VARCHAR NOT NULL, body VARCHAR NOT NULL,
     reason VARCHAR NOT NULL)`,
];

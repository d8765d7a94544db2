// Tables of alert routing added after the first anomaly tables (src/alerts/): which SMS replies the
// alert timer has judged, so each reply acknowledges at most once, however often the timer runs.
export const alertTables: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS alert_replies (
     response_id BIGINT PRIMARY KEY,   -- channel_responses.response_id
     group_key VARCHAR,                -- the alert group it acknowledged or found acknowledged
     outcome VARCHAR NOT NULL,         -- acknowledged, already_acknowledged, no_open_alert, not_an_acknowledgement
     handled_at TIMESTAMP NOT NULL)`,
];

// The channels' tables (src/channels/): the one outbox for every source of messages, the parts each SMS
// went out in (to map receipts back), every status a message passed through, the opt-out and
// do-not-disturb lists, and the replies subscribers sent. Times are the operator's local wall time.
export const channelTableStatements: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS channel_outbox (
     message_id VARCHAR PRIMARY KEY,   -- given by the source (a decision id) or derived from it
     source VARCHAR NOT NULL,          -- trigger, campaign, adhoc, alert, system
     source_ref VARCHAR,               -- rule id, campaign id, list name, alert id
     kind VARCHAR NOT NULL,            -- marketing, alert, service
     channel VARCHAR NOT NULL,         -- sms, email
     recipient VARCHAR NOT NULL,       -- msisdn or e-mail address
     subscriber VARCHAR NOT NULL,      -- whom caps count against (the msisdn when known)
     area VARCHAR,
     service_id VARCHAR,
     subject VARCHAR,
     text VARCHAR NOT NULL,
     html VARCHAR,
     text_hash VARCHAR NOT NULL,
     status VARCHAR NOT NULL,          -- pending, submitting, submitted, delivered, failed, expired, unknown, skipped
     reason VARCHAR,                   -- why skipped, deferred, failed or unknown
     queued_at TIMESTAMP NOT NULL,
     not_before TIMESTAMP NOT NULL,    -- deferred (quiet hours, throttling) until then
     expires_at TIMESTAMP,
     attempts INTEGER NOT NULL,
     parts INTEGER,
     smsc_ids VARCHAR,                 -- the SMSC's ids (or the SMTP id), comma-separated, one per part
     submitted_at TIMESTAMP,
     final_at TIMESTAMP,
     updated_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS channel_parts (
     smsc_id VARCHAR NOT NULL,         -- no key: an SMSC may reuse ids after its restart
     message_id VARCHAR NOT NULL,
     part_no INTEGER NOT NULL,
     submitted_at TIMESTAMP NOT NULL,
     status VARCHAR,                   -- delivered, undeliverable, expired, rejected (from the receipt)
     receipt_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS channel_status_history (
     message_id VARCHAR NOT NULL,
     changed_at TIMESTAMP NOT NULL,
     status VARCHAR NOT NULL,
     reason VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS channel_opt_outs (
     msisdn VARCHAR PRIMARY KEY, since TIMESTAMP NOT NULL, via VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS channel_dnd (
     msisdn VARCHAR PRIMARY KEY, since TIMESTAMP NOT NULL, note VARCHAR)`,
  `CREATE SEQUENCE IF NOT EXISTS channel_response_seq START 1`,
  `CREATE TABLE IF NOT EXISTS channel_responses (
     response_id BIGINT PRIMARY KEY DEFAULT nextval('channel_response_seq'),
     msisdn VARCHAR NOT NULL,
     text VARCHAR NOT NULL,
     received_at TIMESTAMP NOT NULL,
     message_id VARCHAR,               -- the latest message sent to this subscriber before the reply
     opt_out BOOLEAN NOT NULL)`,
  // The sender's journal: one small row per round (the previous round's answers and the next round's
  // intent), appended in one cheap commit before the round goes on the wire, and folded into the
  // tables above in one transaction a few times a second. A crash leaves unfolded rows, which the next
  // sender folds before anything else; an intent without an answer there is the round that was on the wire.
  `CREATE SEQUENCE IF NOT EXISTS channel_send_log_seq START 1`,
  `CREATE TABLE IF NOT EXISTS channel_send_log (
     seq BIGINT NOT NULL DEFAULT nextval('channel_send_log_seq'),  -- no key: appends stay cheap
     logged_at TIMESTAMP NOT NULL,
     updates VARCHAR NOT NULL,         -- JSON: the previous round's outcomes (MessageUpdate[])
     intents VARCHAR NOT NULL)         -- JSON: the message ids about to be submitted`,
];

// The campaigns' tables (src/campaigns/): the campaign as it stands, every version and state change it
// went through, its rounds (pilot, rollout, correction pilots: each kept with its evaluation and the
// rules found in it), who was assigned to which group in each round (stable and recorded, so an
// evaluation months later counts the same people), and the knowledge base that closing writes.
// Times are the operator's local wall time, like the outbox and the order feeds they are compared with.
export const campaignTables: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS campaign_seq START 1`,
  `CREATE TABLE IF NOT EXISTS campaigns (
     campaign_id VARCHAR PRIMARY KEY,
     version INTEGER NOT NULL,         -- the content's version; an edit adds one
     name VARCHAR NOT NULL,
     status VARCHAR NOT NULL,          -- draft, approved, pilot, evaluated, rolled_out, closed, cancelled
     service_id VARCHAR NOT NULL,      -- the promoted service
     channel VARCHAR NOT NULL,         -- sms, email
     content VARCHAR NOT NULL,         -- the campaign file's content as JSON
     created_by VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     edited_by VARCHAR NOT NULL,       -- author of the current version (the maker a checker must not be)
     updated_at TIMESTAMP NOT NULL,
     approved_by VARCHAR,
     approved_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS campaign_changes (
     campaign_id VARCHAR NOT NULL,
     seq INTEGER NOT NULL,             -- 1, 2, … per campaign
     version INTEGER NOT NULL,
     action VARCHAR NOT NULL,          -- create, edit, approve, pilot, evaluate, rollout, close, cancel
     status VARCHAR NOT NULL,          -- the status after the change
     actor VARCHAR NOT NULL,
     changed_at TIMESTAMP NOT NULL,
     content VARCHAR,                  -- the content after an edit or create
     note VARCHAR,
     PRIMARY KEY (campaign_id, seq))`,
  `CREATE TABLE IF NOT EXISTS campaign_rounds (
     campaign_id VARCHAR NOT NULL,
     round INTEGER NOT NULL,           -- 1, 2, … in the order they ran
     kind VARCHAR NOT NULL,            -- pilot, rollout, correction
     audience VARCHAR NOT NULL,        -- the audience definition this round drew from (JSON)
     audience_size INTEGER NOT NULL,
     control_share DOUBLE NOT NULL,
     started_at TIMESTAMP NOT NULL,
     started_by VARCHAR NOT NULL,
     contacted INTEGER NOT NULL,       -- assigned to be contacted
     control INTEGER NOT NULL,         -- assigned to the round's control group
     queued INTEGER NOT NULL,
     skipped VARCHAR NOT NULL,         -- the contact policy's skips by reason (JSON)
     evaluation VARCHAR,               -- the latest evaluation (JSON)
     evaluated_at TIMESTAMP,
     rules VARCHAR,                    -- uplift rules discovered on this round (JSON)
     PRIMARY KEY (campaign_id, round))`,
  `CREATE TABLE IF NOT EXISTS campaign_assignments (
     campaign_id VARCHAR NOT NULL,
     round INTEGER NOT NULL,
     msisdn VARCHAR NOT NULL,
     grp VARCHAR NOT NULL,             -- contacted, control
     assigned_at TIMESTAMP NOT NULL,
     message_id VARCHAR,               -- the outbox message (contacted only): campaign-id|round|msisdn
     PRIMARY KEY (campaign_id, round, msisdn))`,
  `CREATE TABLE IF NOT EXISTS campaign_knowledge (
     campaign_id VARCHAR PRIMARY KEY,
     name VARCHAR NOT NULL,
     service_id VARCHAR NOT NULL,
     channel VARCHAR NOT NULL,
     season VARCHAR NOT NULL,          -- spring, summer, autumn, winter (of the first round's start)
     started_at TIMESTAMP,
     closed_at TIMESTAMP NOT NULL,
     closed_by VARCHAR NOT NULL,
     counties VARCHAR NOT NULL,        -- counties named by the audience or rules, comma-separated
     segments VARCHAR NOT NULL,        -- brands, segments and other attribute values named, comma-separated
     result VARCHAR NOT NULL,          -- positive, none, negative (the interval against zero)
     contacted INTEGER NOT NULL,
     control INTEGER NOT NULL,
     uplift DOUBLE,                    -- percentage points
     ci_low DOUBLE,
     ci_high DOUBLE,
     p_value DOUBLE,
     cost_per_incremental_yuan DOUBLE,
     lessons VARCHAR NOT NULL,
     summary VARCHAR NOT NULL)`, // audience, rules, offer, text, timing, rounds (JSON)
];

// Tables that carry mined results and rewards through the real-time triggers: the segment each
// subscriber was put in (read by the stream for rules' `who.segments`), and the rewards rules granted
// (a behaviour counted to its target after an offer), kept until BOSS fulfils them.
export const triggerRewardTables: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS mining_segment_members (
     msisdn VARCHAR NOT NULL,
     segment VARCHAR NOT NULL,        -- the name rules use in who.segments
     model_version VARCHAR NOT NULL,
     assigned_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS stream_rewards (
     reward_id VARCHAR PRIMARY KEY,   -- the offer's decision id + ':reward': the same on a replay, so never twice
     rule_id VARCHAR NOT NULL,
     rule_version INTEGER NOT NULL,
     msisdn VARCHAR NOT NULL,
     offer_id VARCHAR NOT NULL,       -- the decision whose message made the offer
     kind VARCHAR NOT NULL,           -- credit (话费, yuan) or gift
     amount DECIMAL(12,2) NOT NULL,   -- yuan for a credit, 0 for a gift
     description VARCHAR NOT NULL,
     behaviour VARCHAR NOT NULL,      -- what was counted, e.g. "call_out 12580"
     count INTEGER NOT NULL,          -- the count reached
     offered_at TIMESTAMP NOT NULL,   -- event time of the offer
     reached_at TIMESTAMP NOT NULL,   -- event time of the event that reached the count
     granted_at TIMESTAMP NOT NULL,   -- wall time of the decision
     status VARCHAR NOT NULL,         -- pending (to fulfil), exported, fulfilled
     exported_at TIMESTAMP,
     export_batch VARCHAR)`,
];

// Pauses of running campaigns (src/campaigns/pause/): one row per pause, open while ended_at is NULL.
// A table of its own rather than a campaign status: the campaign keeps its lifecycle status (pilot,
// evaluated, rolled_out) while paused, so evaluation and the other branches' status lists stay as they are.
export const campaignPauseTables: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS campaign_pauses (
     campaign_id VARCHAR NOT NULL,
     paused_at TIMESTAMP NOT NULL,
     paused_by VARCHAR NOT NULL,
     held INTEGER NOT NULL,            -- pending outbox messages held by the pause
     ended_at TIMESTAMP,               -- NULL while the campaign is paused
     ended_by VARCHAR,
     ended_how VARCHAR,                -- resumed, cancelled, closed
     released INTEGER)                 -- held messages handed back to the sender (resumed) or dropped`,
];

// Every change made to a trigger rule (put, pause, resume, delete), from a rule file or from the page,
// in order. `stream_rules` holds the current state; this history keeps versions increasing across
// deletes and restarts, and tells a rule file that has not changed since it was last applied from one
// that has (a page edit wins over an unchanged file; a changed file wins over older page edits).
export const streamRuleTables: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS stream_rule_change_ids START 1`,
  `CREATE TABLE IF NOT EXISTS stream_rule_changes (
     change_id BIGINT PRIMARY KEY DEFAULT nextval('stream_rule_change_ids'),
     rule_id VARCHAR NOT NULL,
     version INTEGER NOT NULL,
     action VARCHAR NOT NULL,      -- put, pause, resume, delete
     source VARCHAR NOT NULL,      -- file (a rule file applied at start) or api (the page, a script)
     definition JSON NOT NULL,
     changed_at TIMESTAMP NOT NULL)`,
];

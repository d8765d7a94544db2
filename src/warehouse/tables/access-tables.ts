// Accounts, sessions, API tokens, login attempts and the audit log (src/access/ owns the SQL on them).
// Times are epoch milliseconds as DOUBLE (exact to 2^53, no BIGINT-as-string round trips); the audit
// log keeps its time as the ISO text it hashed, so the chain verifies byte for byte.
export const accessTables: readonly string[] = [
  `CREATE SEQUENCE IF NOT EXISTS user_seq START 1`,
  `CREATE TABLE IF NOT EXISTS users (
     user_id INTEGER PRIMARY KEY,
     username VARCHAR NOT NULL UNIQUE,
     password_hash VARCHAR NOT NULL,
     roles VARCHAR NOT NULL,
     disabled BOOLEAN NOT NULL DEFAULT false,
     created_ms DOUBLE NOT NULL,
     password_changed_ms DOUBLE NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS sessions (
     session_hash VARCHAR PRIMARY KEY,
     user_id INTEGER NOT NULL,
     csrf_token VARCHAR NOT NULL,
     created_ms DOUBLE NOT NULL,
     last_seen_ms DOUBLE NOT NULL,
     address VARCHAR
   )`,
  `CREATE TABLE IF NOT EXISTS api_tokens (
     token_id VARCHAR PRIMARY KEY,
     token_hash VARCHAR NOT NULL UNIQUE,
     user_id INTEGER NOT NULL,
     roles VARCHAR NOT NULL,
     created_ms DOUBLE NOT NULL,
     expires_ms DOUBLE NOT NULL,
     revoked_ms DOUBLE,
     note VARCHAR
   )`,
  `CREATE TABLE IF NOT EXISTS login_attempts (
     at_ms DOUBLE NOT NULL,
     username VARCHAR NOT NULL,
     address VARCHAR NOT NULL,
     ok BOOLEAN NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS audit_log (
     seq BIGINT PRIMARY KEY,
     recorded_at VARCHAR NOT NULL,
     actor VARCHAR NOT NULL,
     address VARCHAR NOT NULL,
     action VARCHAR NOT NULL,
     target VARCHAR NOT NULL,
     outcome VARCHAR NOT NULL,
     detail VARCHAR NOT NULL,
     prev_hash VARCHAR NOT NULL,
     hash VARCHAR NOT NULL
   )`,
];

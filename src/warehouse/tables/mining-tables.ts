// The mining results kept in the warehouse: models (with version and held-out figures), churn and
// propensity scores, next-best offers and association rules. Created at open with every other table.
export const miningTables: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS mining_models (
     model_version VARCHAR PRIMARY KEY, purpose VARCHAR NOT NULL, kind VARCHAR NOT NULL,
     trained_at TIMESTAMP NOT NULL, rows INTEGER NOT NULL, auc DOUBLE, baseline_auc DOUBLE,
     method VARCHAR NOT NULL, model_json VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mining_churn_scores (
     msisdn VARCHAR NOT NULL, score DOUBLE NOT NULL, model_version VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mining_propensity_scores (
     msisdn VARCHAR NOT NULL, service_id VARCHAR NOT NULL, score DOUBLE NOT NULL, model_version VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mining_offers (
     msisdn VARCHAR NOT NULL, offer_rank INTEGER NOT NULL, service_id VARCHAR NOT NULL, score DOUBLE NOT NULL,
     propensity DOUBLE NOT NULL, rule_confidence DOUBLE NOT NULL, reason VARCHAR NOT NULL,
     model_version VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mining_rules (
     lhs VARCHAR NOT NULL, rhs VARCHAR NOT NULL, support DOUBLE NOT NULL, confidence DOUBLE NOT NULL,
     lift DOUBLE NOT NULL, count INTEGER NOT NULL, model_version VARCHAR NOT NULL)`,
];

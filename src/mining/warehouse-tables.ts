// The mining results kept in the warehouse: models (with version and held-out figures), churn and
// propensity scores, next-best offers and association rules. Created IF NOT EXISTS by their owner.
import type { SqlParam, Warehouse } from '../warehouse/index.ts';

export const miningTableStatements = [
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
] as const;

export async function ensureMiningTables(warehouse: Warehouse): Promise<void> {
  for (const statement of miningTableStatements) await warehouse.run(statement);
}

/** Inserts rows (all with the same columns) in multi-row statements. */
export async function insertRows(
  warehouse: Warehouse,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlParam[])[],
): Promise<void> {
  const chunk = Math.max(1, Math.floor(1000 / columns.length));
  const placeholder = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await warehouse.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => placeholder).join(', ')}`,
      part.flat(),
    );
  }
}

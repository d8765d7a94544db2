// The keys of the small snapshots a feed references (cells, services; subscribers while they are
// few), read once per batch for the byte-level validator. The limit is the one under which the SQL
// checks such a reference by an ENUM cast (load-feed-batch.ts): above it, or with no keys at all,
// the reference is left to the SQL and no file of the batch is proven by its bytes.
import type { FeedSpec } from '../../feeds/contract.ts';
import type { Warehouse } from '../warehouse.ts';
import { feedTables } from '../schema.ts';
import { sqlIdentifier as ident } from '../sql-text.ts';
import { ByteKeySet } from './byte-key-set.ts';

export const ENUM_REFERENCE_LIMIT = 65_536;

/** The key sets by referencing field, or undefined when a reference cannot be proven from bytes. */
export async function referenceKeySets(
  warehouse: Warehouse,
  spec: FeedSpec,
): Promise<Map<string, ByteKeySet> | undefined> {
  const sets = new Map<string, ByteKeySet>();
  for (const field of spec.fields) {
    const ref = field.references;
    if (!ref) continue;
    const table = feedTables[ref.feed];
    const column = ident(ref.field);
    const count = await warehouse.scalar(`SELECT count(DISTINCT ${column}) FROM ${table}`);
    if (count === 0 || count > ENUM_REFERENCE_LIMIT) return undefined;
    const rows = await warehouse.all<{ key: string }>(
      `SELECT DISTINCT ${column} AS key FROM ${table} WHERE ${column} IS NOT NULL`,
    );
    sets.set(field.name, new ByteKeySet(rows.map((r) => r.key)));
  }
  return sets;
}

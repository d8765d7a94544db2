// The keys of the small snapshots a feed references (cells, services; subscribers while they are
// few), in the two forms the checks use: an ENUM type for the SQL (a cast to it costs next to nothing
// where a hash join costs as much as reading the file), and a set of byte strings for the byte-level
// validator. Above the limit, or with no keys at all, the SQL joins and no file is proven by its bytes.
import type { FeedSpec } from '../../feeds/contract.ts';
import type { Warehouse } from '../warehouse.ts';
import { feedTables } from '../schema.ts';
import { sqlIdentifier as ident } from '../sql-text.ts';
import { ByteKeySet } from './byte-key-set.ts';
import { referenceEnumType } from './compile-feed-sql.ts';

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

/** The ENUM types for the references to small snapshots; returns the feeds that have one. */
export async function prepareReferenceEnums(warehouse: Warehouse, spec: FeedSpec): Promise<Set<string>> {
  const chosen = new Set<string>();
  for (const field of spec.fields) {
    const ref = field.references;
    if (!ref || chosen.has(ref.feed)) continue;
    const table = feedTables[ref.feed];
    const keys = await warehouse.scalar(`SELECT count(DISTINCT ${ident(ref.field)}) FROM ${table}`);
    if (keys === 0 || keys > ENUM_REFERENCE_LIMIT) continue;
    await warehouse.run(
      `CREATE OR REPLACE TYPE ${referenceEnumType(ref)} AS ENUM (SELECT DISTINCT ${ident(ref.field)} FROM ${table} WHERE ${ident(ref.field)} IS NOT NULL)`,
    );
    chosen.add(ref.feed);
  }
  return chosen;
}

/** Drops them again at the end of the batch. */
export async function dropReferenceEnums(warehouse: Warehouse, spec: FeedSpec): Promise<void> {
  for (const field of spec.fields) {
    if (field.references) await warehouse.run(`DROP TYPE IF EXISTS ${referenceEnumType(field.references)}`);
  }
}

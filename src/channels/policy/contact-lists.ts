// The opt-out list (fed by MO replies and by hand) and the do-not-disturb list (imported from the
// operator's registry). Both are read by the contact policy for every marketing message.
import type { Warehouse } from '../../warehouse/index.ts';

export async function addOptOuts(
  warehouse: Warehouse,
  msisdns: readonly string[],
  options: { at: string; via: string },
): Promise<void> {
  if (msisdns.length === 0) return;
  await warehouse.run(
    `INSERT OR IGNORE INTO channel_opt_outs (msisdn, since, via)
     SELECT unnest(string_split(?, chr(10))), ?::TIMESTAMP, ?`,
    [msisdns.join('\n'), options.at, options.via],
  );
}

/** Adds numbers to the do-not-disturb list; returns how many were new. */
export async function importDoNotDisturb(
  warehouse: Warehouse,
  msisdns: readonly string[],
  options: { at: string; note?: string },
): Promise<number> {
  if (msisdns.length === 0) return 0;
  const before = await warehouse.scalar('SELECT count(*) FROM channel_dnd');
  await warehouse.run(
    `INSERT OR IGNORE INTO channel_dnd (msisdn, since, note)
     SELECT DISTINCT unnest(string_split(?, chr(10))), ?::TIMESTAMP, ?`,
    [msisdns.join('\n'), options.at, options.note ?? null],
  );
  return (await warehouse.scalar('SELECT count(*) FROM channel_dnd')) - before;
}

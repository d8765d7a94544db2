// Holding a source's messages (a paused campaign) and releasing them. A held message gets its own
// status, `held`, rather than a far-away not_before or a skip reason: the sender fetches only
// `pending`, so nothing else needs to know about pauses; not_before and expires_at stay untouched, so a
// release restores the message exactly as it was queued (quiet-hours deferral included), and a message
// whose expiry passed while held expires at the sender's check instead of going out late. `skipped` is
// final in every report and count, which a pause is not. Only `pending` messages are held: one already
// `submitting` is on the wire and its answer decides it, so nothing is ever sent twice.
import type { Warehouse } from '../../warehouse/index.ts';

export interface HoldTarget {
  source: string;
  sourceRef: string;
  /** Local wall time of the change (the outbox's clock). */
  at: string;
  /** Why, kept as the message's reason and in its status history. */
  reason: string;
}

/** Pending messages of the source become `held`; returns how many. Call inside the caller's write. */
export async function holdMessages(tx: Warehouse, target: HoldTarget): Promise<number> {
  return moveMessages(tx, target, { from: 'pending', to: 'held' });
}

/** Held messages of the source become `pending` again (the sender picks them up); returns how many. */
export async function releaseMessages(tx: Warehouse, target: HoldTarget): Promise<number> {
  return moveMessages(tx, target, { from: 'held', to: 'pending' });
}

/** Held messages of the source are dropped for good (`skipped` with the reason): the source ended. */
export async function dropHeldMessages(tx: Warehouse, target: HoldTarget): Promise<number> {
  return moveMessages(tx, target, { from: 'held', to: 'skipped', final: true });
}

async function moveMessages(
  tx: Warehouse,
  target: HoldTarget,
  move: { from: string; to: string; final?: boolean },
): Promise<number> {
  const match = 'source = ? AND source_ref = ? AND status = ?';
  const params = [target.source, target.sourceRef, move.from];
  // History first, while the rows still have their old status to be found by.
  await tx.run(
    `INSERT INTO channel_status_history (message_id, changed_at, status, reason)
     SELECT message_id, ?::TIMESTAMP, ?, ? FROM channel_outbox WHERE ${match}`,
    [target.at, move.to, target.reason, ...params],
  );
  const count = await tx.scalar(`SELECT count(*) FROM channel_outbox WHERE ${match}`, params);
  await tx.run(
    `UPDATE channel_outbox SET status = ?, reason = ?, updated_at = ?::TIMESTAMP,
       final_at = CASE WHEN ? THEN ?::TIMESTAMP ELSE final_at END
     WHERE ${match}`,
    [move.to, target.reason, target.at, move.final === true, target.at, ...params],
  );
  return Number(count);
}

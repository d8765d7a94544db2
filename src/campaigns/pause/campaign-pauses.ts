// The pause rows (campaign_pauses) and what they do to the outbox, inside the caller's write: opening a
// pause holds the campaign's pending messages; ending it releases them (resumed) or drops them
// (the campaign was closed or cancelled while paused).
import { dropHeldMessages, holdMessages, releaseMessages } from '../../channels/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';

export async function openPause(
  tx: Warehouse,
  pause: { campaignId: string; at: string; actor: string },
): Promise<number> {
  // Checked inside the write: two clicks on "pause" never open two pauses.
  if (
    (await tx.scalar('SELECT count(*) FROM campaign_pauses WHERE campaign_id = ? AND ended_at IS NULL', [
      pause.campaignId,
    ])) > 0
  )
    throw new AppError('WRITE_CONFLICT', `campaign ${pause.campaignId} was paused meanwhile`, {
      hint: 'reload the campaign: it is paused already',
    });
  const held = await holdMessages(tx, {
    source: 'campaign',
    sourceRef: pause.campaignId,
    at: pause.at,
    reason: 'campaign_paused',
  });
  await tx.run(
    `INSERT INTO campaign_pauses (campaign_id, paused_at, paused_by, held, ended_at, ended_by, ended_how, released)
     VALUES (?, ?::TIMESTAMP, ?, ?, NULL, NULL, NULL, NULL)`,
    [pause.campaignId, pause.at, pause.actor, held],
  );
  return held;
}

export async function endPause(
  tx: Warehouse,
  end: { campaignId: string; at: string; actor: string; how: 'resumed' | 'closed' | 'cancelled' },
): Promise<number> {
  const target = { source: 'campaign', sourceRef: end.campaignId, at: end.at };
  const released =
    end.how === 'resumed'
      ? await releaseMessages(tx, { ...target, reason: 'campaign_resumed' })
      : await dropHeldMessages(tx, { ...target, reason: `campaign_${end.how}` });
  await tx.run(
    `UPDATE campaign_pauses SET ended_at = ?::TIMESTAMP, ended_by = ?, ended_how = ?, released = ?
     WHERE campaign_id = ? AND ended_at IS NULL`,
    [end.at, end.actor, end.how, released, end.campaignId],
  );
  return released;
}

export interface CampaignPause {
  pausedAt: string;
  pausedBy: string;
  held: number;
  endedAt: string | null;
  endedBy: string | null;
  endedHow: string | null;
  released: number | null;
}

export async function listPauses(warehouse: Warehouse, campaignId: string): Promise<CampaignPause[]> {
  const rows = await warehouse.all<{
    paused_at: string;
    paused_by: string;
    held: number;
    ended_at: string | null;
    ended_by: string | null;
    ended_how: string | null;
    released: number | null;
  }>(
    `SELECT strftime(paused_at, '%Y-%m-%d %H:%M:%S') AS paused_at, paused_by, held,
            strftime(ended_at, '%Y-%m-%d %H:%M:%S') AS ended_at, ended_by, ended_how, released
     FROM campaign_pauses WHERE campaign_id = ? ORDER BY paused_at, ended_at NULLS LAST`,
    [campaignId],
  );
  return rows.map((r) => ({
    pausedAt: r.paused_at,
    pausedBy: r.paused_by,
    held: Number(r.held),
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    endedHow: r.ended_how,
    released: r.released === null ? null : Number(r.released),
  }));
}

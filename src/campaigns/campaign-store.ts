// Campaigns in the warehouse: the current row, and every change (create, edit, each lifecycle step)
// in campaign_changes with who and when, beside the audit log's entry for the same step.
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import type { CampaignContent } from './campaign-content.ts';

export const campaignStatuses = [
  'draft',
  'approved',
  'pilot',
  'evaluated',
  'rolled_out',
  'closed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export interface Campaign {
  id: string;
  version: number;
  name: string;
  status: CampaignStatus;
  serviceId: string;
  channel: 'sms' | 'email';
  content: CampaignContent;
  createdBy: string;
  createdAt: string;
  editedBy: string;
  updatedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Set while the campaign is paused (its pending messages held in the outbox). */
  paused: { at: string; by: string } | null;
}

type CampaignRow = {
  campaign_id: string;
  version: number;
  name: string;
  status: string;
  service_id: string;
  channel: string;
  content: string;
  created_by: string;
  created_at: string;
  edited_by: string;
  updated_at: string;
  approved_by: string | null;
  approved_at: string | null;
  paused_at: string | null;
  paused_by: string | null;
};

function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.campaign_id,
    version: Number(row.version),
    name: row.name,
    status: row.status as CampaignStatus,
    serviceId: row.service_id,
    channel: row.channel as 'sms' | 'email',
    content: JSON.parse(row.content) as CampaignContent,
    createdBy: row.created_by,
    createdAt: String(row.created_at).replace('T', ' ').slice(0, 19),
    editedBy: row.edited_by,
    updatedAt: String(row.updated_at).replace('T', ' ').slice(0, 19),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at ? String(row.approved_at).replace('T', ' ').slice(0, 19) : null,
    paused: row.paused_at
      ? { at: String(row.paused_at).replace('T', ' ').slice(0, 19), by: row.paused_by ?? '' }
      : null,
  };
}

/** The campaign row with its open pause, if any (campaign_pauses keeps at most one open per campaign). */
const SELECT_CAMPAIGN = `SELECT c.*, p.paused_at, p.paused_by FROM campaigns c
  LEFT JOIN campaign_pauses p ON p.campaign_id = c.campaign_id AND p.ended_at IS NULL`;

export async function findCampaign(warehouse: Warehouse, id: string): Promise<Campaign | undefined> {
  const row = await warehouse.one<CampaignRow>(`${SELECT_CAMPAIGN} WHERE c.campaign_id = ?`, [id]);
  return row ? toCampaign(row) : undefined;
}

export async function loadCampaign(warehouse: Warehouse, id: string): Promise<Campaign> {
  const campaign = await findCampaign(warehouse, id);
  if (!campaign)
    throw new AppError('NOT_FOUND', `no campaign "${id}"`, {
      location: { field: 'id' },
      hint: 'telmark campaign list shows the campaigns and their ids',
    });
  return campaign;
}

export interface CampaignFilter {
  status?: CampaignStatus;
  service?: string;
}

export async function listCampaigns(warehouse: Warehouse, filter: CampaignFilter = {}): Promise<Campaign[]> {
  const rows = await warehouse.all<CampaignRow>(
    `${SELECT_CAMPAIGN} WHERE (? IS NULL OR c.status = ?) AND (? IS NULL OR c.service_id = ?)
     ORDER BY c.created_at DESC, c.campaign_id DESC`,
    [filter.status ?? null, filter.status ?? null, filter.service ?? null, filter.service ?? null],
  );
  return rows.map(toCampaign);
}

export async function insertCampaign(
  tx: Warehouse,
  content: CampaignContent,
  actor: string,
  at: string,
): Promise<string> {
  const seq = await tx.scalar("SELECT nextval('campaign_seq')");
  const id = `C${String(seq).padStart(4, '0')}`;
  await tx.run(
    `INSERT INTO campaigns (campaign_id, version, name, status, service_id, channel, content, created_by,
       created_at, edited_by, updated_at, approved_by, approved_at)
     VALUES (?, 1, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
    [id, content.name, content.service, content.channel, JSON.stringify(content), actor, at, actor, at],
  );
  return id;
}

export interface ChangeRecord {
  action: string;
  status: CampaignStatus;
  actor: string;
  at: string;
  version: number;
  content?: CampaignContent;
  note?: string;
}

export async function recordChange(tx: Warehouse, campaignId: string, change: ChangeRecord): Promise<void> {
  const seq =
    (await tx.scalar('SELECT coalesce(max(seq), 0) FROM campaign_changes WHERE campaign_id = ?', [campaignId])) + 1;
  await tx.run(
    `INSERT INTO campaign_changes (campaign_id, seq, version, action, status, actor, changed_at, content, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      campaignId,
      seq,
      change.version,
      change.action,
      change.status,
      change.actor,
      change.at,
      change.content ? JSON.stringify(change.content) : null,
      change.note ?? null,
    ],
  );
}

export async function listChanges(warehouse: Warehouse, campaignId: string) {
  return warehouse.all<{
    seq: number;
    version: number;
    action: string;
    status: string;
    actor: string;
    changed_at: string;
    note: string | null;
  }>(
    `SELECT seq, version, action, status, actor, strftime(changed_at, '%Y-%m-%d %H:%M:%S') AS changed_at, note
     FROM campaign_changes WHERE campaign_id = ? ORDER BY seq`,
    [campaignId],
  );
}

// The lifecycle: draft → approved → pilot → evaluated → rolled_out → closed, and cancelled from any
// open state. Every step is one write (campaign row + change record) followed by its audit-log entry.
// Maker–checker: approval needs the campaigns.approve right and someone other than the maker (the
// creator and the author of the current version); changing an approved campaign's audience, text or
// schedule sends it back to draft, so what goes out is always what a checker saw.
import { appendAudit, type Right } from '../access/index.ts';
import type { ChannelsConfig } from '../channels/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import { approvalRelevant, type CampaignContent } from './campaign-content.ts';
import { type Campaign, type CampaignStatus, insertCampaign, loadCampaign, recordChange } from './campaign-store.ts';
import { localTimestamp } from './campaign-time.ts';
import { endPause } from './pause/campaign-pauses.ts';

/** Who acts: a signed-in user or token (with its rights), or a local command's user. */
export interface CampaignActor {
  name: string;
  address: string;
  /** The actor's rights; approval is refused without campaigns.approve. */
  rights: ReadonlySet<Right>;
}

export interface CampaignDeps {
  clock: Clock;
  channels: ChannelsConfig;
  /**
   * The facts on a ClickHouse cluster (audiences, orders, subscribers); the campaign's state stays in
   * the DuckDB file the functions are given (docs/scale-out.md). Default: the file holds both.
   */
  facts?: ClickHouseWarehouse;
}

export type CampaignStep = 'approve' | 'pilot' | 'evaluate' | 'rollout' | 'close' | 'cancel' | 'pause' | 'resume';

const allowedFrom: Record<CampaignStep, readonly CampaignStatus[]> = {
  approve: ['draft'],
  // A pilot after an evaluation or a rollout is a correction round: the rules get checked again.
  pilot: ['approved', 'evaluated', 'rolled_out'],
  evaluate: ['pilot', 'evaluated', 'rolled_out', 'closed'],
  rollout: ['evaluated'],
  close: ['evaluated', 'rolled_out'],
  cancel: ['draft', 'approved', 'pilot', 'evaluated', 'rolled_out'],
  // Pausing holds what a started round still has pending; an evaluated pilot may have messages left
  // (deferred by quiet hours), so it can be paused too. The status stays: a pause is kept beside it.
  pause: ['pilot', 'evaluated', 'rolled_out'],
  resume: ['pilot', 'evaluated', 'rolled_out'],
};

/** Steps that queue messages: refused while paused, or the new round would go out under a pause. */
const refusedWhilePaused: readonly CampaignStep[] = ['pilot', 'rollout', 'pause'];

export function checkStep(campaign: Campaign, step: CampaignStep): void {
  if (campaign.paused && refusedWhilePaused.includes(step))
    throw new AppError(
      'INPUT_INVALID',
      `campaign ${campaign.id} is paused (since ${campaign.paused.at}): it cannot ${step} now`,
      {
        location: { field: 'status' },
        hint: `resume it first: telmark campaign resume ${campaign.id} (or POST /api/campaigns/${campaign.id}/resume)`,
      },
    );
  if (step === 'resume' && !campaign.paused)
    throw new AppError('INPUT_INVALID', `campaign ${campaign.id} is not paused: nothing to resume`, {
      location: { field: 'status' },
      hint: 'resume is possible after a pause',
    });
  if (allowedFrom[step].includes(campaign.status)) return;
  throw new AppError('INPUT_INVALID', `campaign ${campaign.id} is ${campaign.status}: it cannot ${step} now`, {
    location: { field: 'status' },
    hint: `${step} is possible when the campaign is ${allowedFrom[step].join(' or ')}`,
  });
}

export async function createCampaign(
  warehouse: Warehouse,
  content: CampaignContent,
  actor: CampaignActor,
  deps: CampaignDeps,
): Promise<Campaign> {
  const at = localTimestamp(deps.clock, deps.channels.utcOffsetMinutes);
  const id = await warehouse.write(async (tx) => {
    const created = await insertCampaign(tx, content, actor.name, at);
    await recordChange(tx, created, { action: 'create', status: 'draft', actor: actor.name, at, version: 1, content });
    return created;
  });
  await audit(warehouse, deps, actor, 'campaign.create', id, { name: content.name, service: content.service });
  return loadCampaign(warehouse, id);
}

/** A new version of the content; an approved campaign whose audience, text or schedule changes returns to draft. */
export async function editCampaign(
  warehouse: Warehouse,
  id: string,
  content: CampaignContent,
  actor: CampaignActor,
  deps: CampaignDeps,
): Promise<Campaign> {
  const at = localTimestamp(deps.clock, deps.channels.utcOffsetMinutes);
  const before = await loadCampaign(warehouse, id);
  if (!['draft', 'approved', 'evaluated'].includes(before.status))
    throw new AppError('INPUT_INVALID', `campaign ${id} is ${before.status}: it cannot be edited now`, {
      location: { field: 'status' },
      hint: 'edit a campaign while it is draft, approved or evaluated; cancel it and create a new one otherwise',
    });
  if (content.service !== before.serviceId)
    throw new AppError('INPUT_INVALID', `the promoted service of ${id} is ${before.serviceId}; it cannot change`, {
      location: { field: 'service' },
      hint: 'create a new campaign for another service',
    });
  const needsApproval = approvalRelevant(content) !== approvalRelevant(before.content);
  const status: CampaignStatus = needsApproval ? 'draft' : before.status;
  await warehouse.write(async (tx) => {
    await tx.run(
      `UPDATE campaigns SET version = version + 1, name = ?, status = ?, channel = ?, content = ?, edited_by = ?,
         updated_at = ?, approved_by = CASE WHEN ? THEN NULL ELSE approved_by END,
         approved_at = CASE WHEN ? THEN NULL ELSE approved_at END
       WHERE campaign_id = ?`,
      [
        content.name,
        status,
        content.channel,
        JSON.stringify(content),
        actor.name,
        at,
        needsApproval,
        needsApproval,
        id,
      ],
    );
    await recordChange(tx, id, {
      action: 'edit',
      status,
      actor: actor.name,
      at,
      version: before.version + 1,
      content,
      note:
        needsApproval && before.status !== 'draft'
          ? 'audience, text or schedule changed: needs approval again'
          : undefined,
    });
  });
  await audit(warehouse, deps, actor, 'campaign.edit', id, { from: before.status, to: status });
  return loadCampaign(warehouse, id);
}

export async function approveCampaign(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
): Promise<Campaign> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'approve');
  if (!actor.rights.has('campaigns.approve'))
    throw new AppError('FORBIDDEN', `${actor.name} lacks the right campaigns.approve`, {
      hint: 'ask a user with the approver role to approve the campaign',
    });
  if (actor.name === campaign.createdBy || actor.name === campaign.editedBy)
    throw new AppError('FORBIDDEN', `${actor.name} made campaign ${id} and cannot also approve it`, {
      hint: 'approval needs a second person (maker–checker): ask another approver',
    });
  await moveCampaign(warehouse, campaign, { step: 'approve', to: 'approved', actor, deps });
  return loadCampaign(warehouse, id);
}

export async function cancelCampaign(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
  reason = '',
): Promise<Campaign> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'cancel');
  await moveCampaign(warehouse, campaign, { step: 'cancel', to: 'cancelled', actor, deps, note: reason || undefined });
  return loadCampaign(warehouse, id);
}

export interface Move {
  step: CampaignStep;
  to: CampaignStatus;
  actor: CampaignActor;
  deps: CampaignDeps;
  note?: string;
  /** More writes in the same transaction (a round's rows, a knowledge entry). */
  alsoWrite?: (tx: Warehouse, at: string) => Promise<void>;
  /** Added to the audit entry; a function when it depends on what alsoWrite found. */
  detail?: Record<string, unknown> | (() => Record<string, unknown>);
}

/** One lifecycle step: status and change record (and the caller's rows) in one write, then the audit entry. */
export async function moveCampaign(warehouse: Warehouse, campaign: Campaign, move: Move): Promise<void> {
  const at = localTimestamp(move.deps.clock, move.deps.channels.utcOffsetMinutes);
  await warehouse.write(async (tx) => {
    // The status is checked again inside the write: two clicks on "approve" never both pass.
    const now = await tx.one<{ status: string; paused: boolean }>(
      `SELECT status, EXISTS (SELECT 1 FROM campaign_pauses p WHERE p.campaign_id = c.campaign_id AND p.ended_at IS NULL) AS paused
       FROM campaigns c WHERE campaign_id = ?`,
      [campaign.id],
    );
    // A pause or resume leaves the status alone, so the pause itself is part of what must not have changed.
    if (now?.status !== campaign.status || now.paused !== (campaign.paused !== null))
      throw new AppError('WRITE_CONFLICT', `campaign ${campaign.id} changed meanwhile (now ${now?.status})`, {
        hint: 'reload the campaign and try again',
      });
    const approving = move.step === 'approve';
    await tx.run(
      `UPDATE campaigns SET status = ?, updated_at = ?,
         approved_by = CASE WHEN ? THEN ? ELSE approved_by END, approved_at = CASE WHEN ? THEN ?::TIMESTAMP ELSE approved_at END
       WHERE campaign_id = ?`,
      [move.to, at, approving, move.actor.name, approving, at, campaign.id],
    );
    await recordChange(tx, campaign.id, {
      action: move.step,
      status: move.to,
      actor: move.actor.name,
      at,
      version: campaign.version,
      note: move.note,
    });
    // Closing or cancelling a paused campaign ends the pause and drops what it held: never sent later.
    if (campaign.paused && (move.to === 'closed' || move.to === 'cancelled'))
      await endPause(tx, { campaignId: campaign.id, at, actor: move.actor.name, how: move.to });
    await move.alsoWrite?.(tx, at);
  });
  await audit(warehouse, move.deps, move.actor, `campaign.${move.step}`, campaign.id, {
    from: campaign.status,
    to: move.to,
    ...(typeof move.detail === 'function' ? move.detail() : move.detail),
  });
}

async function audit(
  warehouse: Warehouse,
  deps: CampaignDeps,
  actor: CampaignActor,
  action: string,
  target: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAudit(warehouse, deps.clock, { actor: actor.name, address: actor.address, action, target, detail });
}

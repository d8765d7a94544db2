// A round: draw the audience (pilot: a random sample; rollout: everyone in the audience, narrowed to
// the rules found in the evaluated pilot), split it into contacted and a control group that this
// campaign never contacts, record the assignment, and queue the messages through the one outbox, so
// the contact policy (opt-outs, caps, quiet hours, the global control group) judges every one.
import { queueMessages, type QueueResult } from '../../channels/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { AudienceNode } from '../campaign-content.ts';
import { type CampaignActor, type CampaignDeps, checkStep, moveCampaign } from '../campaign-lifecycle.ts';
import { type Campaign, loadCampaign } from '../campaign-store.ts';
import { insertJsonRows } from '../json-rows.ts';
import { audienceMembers, narrowAudience } from '../targeting/audience-members.ts';
import { assignGroups } from './assign-groups.ts';
import { type CampaignRound, listRounds, type RoundKind } from './campaign-rounds.ts';

export interface RoundStarted {
  campaignId: string;
  round: number;
  kind: RoundKind;
  audienceSize: number;
  /** Audience members left out because they belong to the channels' global control group. */
  globalControl: number;
  /** Subscribers in earlier rounds of this campaign, left out so each round's groups are fresh. */
  earlierRounds: number;
  contacted: number;
  control: number;
  queued: number;
  skipped: Record<string, number>;
  narrowedToRules: number;
}

export interface RolloutOptions {
  /** Narrow the audience to the rules found on the last evaluated round (default true when there are rules). */
  narrow?: boolean;
}

export async function startPilot(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
): Promise<RoundStarted> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'pilot');
  const rounds = await listRounds(warehouse, id);
  const kind: RoundKind = rounds.length === 0 ? 'pilot' : 'correction';
  const { pilot } = campaign.content;
  return startRound(warehouse, campaign, rounds, {
    kind,
    audience: campaign.content.audience,
    sample: pilot.sample,
    share: pilot.sample === undefined ? (pilot.share ?? 0.2) : undefined,
    controlShare: pilot.controlShare,
    narrowedToRules: 0,
    actor,
    deps,
  });
}

export async function startRollout(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
  options: RolloutOptions = {},
): Promise<RoundStarted> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'rollout');
  const rounds = await listRounds(warehouse, id);
  const evaluated = [...rounds].reverse().find((r) => r.evaluation !== null);
  const rules = ((evaluated?.rules ?? []) as { conditions?: AudienceNode[] }[]).filter(
    (r) => Array.isArray(r.conditions) && r.conditions.length > 0,
  );
  const narrow = options.narrow ?? rules.length > 0;
  if (narrow && rules.length === 0)
    throw new AppError('INPUT_INVALID', `campaign ${id} has no discovered rules to narrow the rollout to`, {
      location: { field: 'narrow' },
      hint: 'evaluate the pilot first (it discovers the rules), or roll out without narrowing',
    });
  const audience = narrow
    ? narrowAudience(
        campaign.content.audience,
        rules.map((r) => r.conditions as AudienceNode[]),
      )
    : campaign.content.audience;
  return startRound(warehouse, campaign, rounds, {
    kind: 'rollout',
    audience,
    controlShare: campaign.content.rollout.controlShare,
    narrowedToRules: narrow ? rules.length : 0,
    actor,
    deps,
  });
}

interface RoundPlan {
  kind: RoundKind;
  audience: AudienceNode;
  sample?: number;
  share?: number;
  controlShare: number;
  narrowedToRules: number;
  actor: CampaignActor;
  deps: CampaignDeps;
}

async function startRound(
  warehouse: Warehouse,
  campaign: Campaign,
  rounds: readonly CampaignRound[],
  plan: RoundPlan,
): Promise<RoundStarted> {
  const { content } = campaign;
  const today = plan.deps.clock.now().toISOString().slice(0, 10);
  if (content.schedule.end && today > content.schedule.end)
    throw new AppError('INPUT_INVALID', `campaign ${campaign.id} ended on ${content.schedule.end}`, {
      location: { field: 'schedule.end' },
      hint: 'edit schedule.end (the campaign then needs approval again) or close the campaign',
    });
  const round = rounds.length + 1;
  const members = await audienceMembers(plan.deps.facts ?? warehouse, plan.audience);
  const earlier = new Set(
    (
      await warehouse.all<{ msisdn: string }>(
        'SELECT DISTINCT msisdn FROM campaign_assignments WHERE campaign_id = ?',
        [campaign.id],
      )
    ).map((r) => r.msisdn),
  );
  const fresh = members.filter((m) => !earlier.has(m));
  const draw = assignGroups(fresh, {
    campaignId: campaign.id,
    round,
    sample: plan.sample,
    share: plan.share,
    controlShare: plan.controlShare,
    globalControlShare: plan.deps.channels.policy.controlGroupShare,
  });
  const texts = await variantTexts(plan.deps.facts ?? warehouse, campaign, draw.contacted);
  const messageId = (m: string) => `${campaign.id}|${round}|${m}`;

  await moveCampaign(warehouse, campaign, {
    step: plan.kind === 'rollout' ? 'rollout' : 'pilot',
    to: plan.kind === 'rollout' ? 'rolled_out' : 'pilot',
    actor: plan.actor,
    deps: plan.deps,
    note: `round ${round} (${plan.kind}): ${draw.contacted.length} contacted, ${draw.control.length} control`,
    detail: { round, contacted: draw.contacted.length, control: draw.control.length },
    alsoWrite: async (tx, at) => {
      await tx.run(
        `INSERT INTO campaign_rounds (campaign_id, round, kind, audience, audience_size, control_share, started_at,
           started_by, contacted, control, queued, skipped, evaluation, evaluated_at, rules)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '{}', NULL, NULL, NULL)`,
        [
          campaign.id,
          round,
          plan.kind,
          JSON.stringify(plan.audience),
          members.length,
          plan.controlShare,
          at,
          plan.actor.name,
          draw.contacted.length,
          draw.control.length,
        ],
      );
      const rows = [
        ...draw.contacted.map((m) => ({
          campaign_id: campaign.id,
          round,
          msisdn: m,
          grp: 'contacted',
          assigned_at: at,
          message_id: messageId(m),
        })),
        ...draw.control.map((m) => ({
          campaign_id: campaign.id,
          round,
          msisdn: m,
          grp: 'control',
          assigned_at: at,
          message_id: null,
        })),
      ];
      await insertJsonRows(
        tx,
        'campaign_assignments',
        {
          campaign_id: 'VARCHAR',
          round: 'INTEGER',
          msisdn: 'VARCHAR',
          grp: 'VARCHAR',
          assigned_at: 'TIMESTAMP',
          message_id: 'VARCHAR',
        },
        rows,
      );
    },
  });

  // Queued after the assignment is recorded: a message never goes out to someone the campaign has no
  // record of. Ids are `campaign|round|msisdn`, so queueing again after a crash adds nothing twice.
  const result: QueueResult = await queueMessages(
    warehouse,
    {
      source: 'campaign',
      sourceRef: campaign.id,
      channel: content.channel,
      messages: draw.contacted.map((m, i) => ({
        id: messageId(m),
        recipient: m,
        subscriber: m,
        text: texts[i]!,
        serviceId: content.service,
        ...(content.channel === 'email' ? { subject: content.message.subject ?? content.name } : {}),
      })),
    },
    { config: plan.deps.channels, clock: plan.deps.clock },
  );
  await warehouse.write((tx) =>
    tx.run('UPDATE campaign_rounds SET queued = ?, skipped = ? WHERE campaign_id = ? AND round = ?', [
      result.queued,
      JSON.stringify(result.skipped),
      campaign.id,
      round,
    ]),
  );
  return {
    campaignId: campaign.id,
    round,
    kind: plan.kind,
    audienceSize: members.length,
    globalControl: draw.globalControl,
    earlierRounds: members.length - fresh.length,
    contacted: draw.contacted.length,
    control: draw.control.length,
    queued: result.queued,
    skipped: result.skipped,
    narrowedToRules: plan.narrowedToRules,
  };
}

/** The text each contacted subscriber gets: the first variant whose condition holds, else the main text. */
async function variantTexts(
  warehouse: Warehouse | ClickHouseWarehouse,
  campaign: Campaign,
  contacted: readonly string[],
): Promise<string[]> {
  const { message } = campaign.content;
  const texts = contacted.map(() => message.text);
  if (message.variants.length === 0) return texts;
  const decided = new Set<number>();
  for (const variant of message.variants) {
    const holders = new Set(await audienceMembers(warehouse, variant.when));
    contacted.forEach((m, i) => {
      if (!decided.has(i) && holders.has(m)) {
        texts[i] = variant.text;
        decided.add(i);
      }
    });
  }
  return texts;
}

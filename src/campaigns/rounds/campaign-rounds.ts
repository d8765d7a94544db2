// A campaign's rounds as stored: pilot, rollout and correction pilots, each with its audience, its
// groups' sizes, what the contact policy did, and its latest evaluation and rules.
import type { Warehouse } from '../../warehouse/index.ts';
import type { UpliftRule } from '../../mining/uplift/index.ts';
import type { AudienceNode } from '../campaign-content.ts';
import type { RoundEvaluation } from '../evaluation/summarize-round.ts';

export type RoundKind = 'pilot' | 'rollout' | 'correction';

export interface CampaignRound {
  campaignId: string;
  round: number;
  kind: RoundKind;
  audience: AudienceNode;
  audienceSize: number;
  controlShare: number;
  startedAt: string;
  startedBy: string;
  contacted: number;
  control: number;
  queued: number;
  skipped: Record<string, number>;
  /** The latest evaluation (JSON as stored), null until the round is evaluated. */
  evaluation: RoundEvaluation | null;
  evaluatedAt: string | null;
  rules: UpliftRule[] | null;
}

type RoundRow = {
  campaign_id: string;
  round: number;
  kind: string;
  audience: string;
  audience_size: number;
  control_share: number;
  started_at: string;
  started_by: string;
  contacted: number;
  control: number;
  queued: number;
  skipped: string;
  evaluation: string | null;
  evaluated_at: string | null;
  rules: string | null;
};

export async function listRounds(warehouse: Warehouse, campaignId: string): Promise<CampaignRound[]> {
  const rows = await warehouse.all<RoundRow>(
    `SELECT * REPLACE (strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
                       strftime(evaluated_at, '%Y-%m-%d %H:%M:%S') AS evaluated_at)
     FROM campaign_rounds WHERE campaign_id = ? ORDER BY round`,
    [campaignId],
  );
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    round: Number(r.round),
    kind: r.kind as RoundKind,
    audience: JSON.parse(r.audience) as AudienceNode,
    audienceSize: Number(r.audience_size),
    controlShare: Number(r.control_share),
    startedAt: r.started_at,
    startedBy: r.started_by,
    contacted: Number(r.contacted),
    control: Number(r.control),
    queued: Number(r.queued),
    skipped: JSON.parse(r.skipped) as Record<string, number>,
    evaluation: r.evaluation ? JSON.parse(r.evaluation) : null,
    evaluatedAt: r.evaluated_at,
    rules: r.rules ? (JSON.parse(r.rules) as UpliftRule[]) : null,
  }));
}

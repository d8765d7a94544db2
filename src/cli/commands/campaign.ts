// `telmark campaign create|edit|list|show|approve|pilot|evaluate|rollout|pause|resume|close|cancel|knowledge`: the
// campaign loop from the command line. Thin: each action parses its input, calls one domain function
// of src/campaigns/ and prints the answer (a table, or --format json|csv).
import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { CampaignActor, CampaignDeps } from '../../campaigns/index.ts';
import type { CommandContext } from '../context.ts';
import { loadContext, openFactsLoaded, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

type Campaigns = typeof import('../../campaigns/index.ts');
interface Ctx {
  context: CommandContext;
  warehouse: Warehouse;
  campaigns: Campaigns;
  actor: CampaignActor;
  deps: CampaignDeps;
}

const userOption = '--user <name>';
const userHelp = 'who acts (an account name; default: cli:<login>); approving needs an account with campaigns.approve';

export function registerCampaignCommand(program: Command): void {
  const campaign = program
    .command('campaign')
    .description('campaigns: create from a YAML file, approve (a second user), pilot, evaluate, roll out, close');

  // Runs `work` on the warehouse with the campaigns module, the acting user and the clock.
  const run = async (options: { user?: string }, work: (ctx: Ctx) => Promise<void>) => {
    const context = await loadContext(program.opts());
    const campaigns = await import('../../campaigns/index.ts');
    const { localActor } = await import('../read-password.ts');
    const name = options.user ?? (await localActor()).actor;
    // With a ClickHouse warehouse the audiences and responses are read there, the state from the file.
    const facts = await openFactsLoaded(context.config.warehouse);
    await withWarehouseLoaded(context.config.db, async (warehouse) => {
      const actor = await campaigns.localCampaignActor(warehouse, name);
      await work({
        context,
        warehouse,
        campaigns,
        actor,
        deps: { clock: systemClock, channels: context.config.channels, ...(facts ? { facts } : {}) },
      });
    });
  };
  const print = (ctx: Ctx, value: unknown, rows: Record<string, unknown>[]) =>
    ctx.context.print(
      ctx.context.format === 'json' ? JSON.stringify(value, null, 2) : formatRows(rows, ctx.context.format),
    );

  campaign
    .command('create')
    .description('a new campaign (draft) from a campaign file; see examples/campaigns/planted-offer.yaml')
    .requiredOption('--file <file.yaml>', 'the campaign file (YAML)')
    .option(userOption, userHelp)
    .action(async (options: { file: string; user?: string }) =>
      run(options, async (ctx) => {
        const content = ctx.campaigns.parseCampaignYaml(await readFileText(options.file), options.file);
        const created = await ctx.campaigns.createCampaign(ctx.warehouse, content, ctx.actor, ctx.deps);
        const earlier = await ctx.campaigns.suggestForService(ctx.warehouse, created.serviceId);
        print(ctx, { ...created, earlier }, [summaryRow(created)]);
        if (ctx.context.format === 'table' && earlier.length > 0)
          ctx.context.print(
            `\nearlier campaigns of ${created.serviceId} (best first):\n${formatRows(earlier.map(knowledgeRow), 'table')}`,
          );
      }),
    );

  campaign
    .command('edit')
    .description('a new version from a campaign file; changing audience, text or schedule needs approval again')
    .argument('<id>', 'campaign id, e.g. C0001')
    .requiredOption('--file <file.yaml>', 'the campaign file (YAML)')
    .option(userOption, userHelp)
    .action(async (id: string, options: { file: string; user?: string }) =>
      run(options, async (ctx) => {
        const content = ctx.campaigns.parseCampaignYaml(await readFileText(options.file), options.file);
        const edited = await ctx.campaigns.editCampaign(ctx.warehouse, id, content, ctx.actor, ctx.deps);
        print(ctx, edited, [summaryRow(edited)]);
      }),
    );

  campaign
    .command('list')
    .description('campaigns, newest first')
    .option('--status <status>', 'draft, approved, pilot, evaluated, rolled_out, closed or cancelled')
    .option('--service <id>', 'only campaigns promoting this service')
    .action(async (options: { status?: string; service?: string }) =>
      run({}, async (ctx) => {
        if (options.status && !(ctx.campaigns.campaignStatuses as readonly string[]).includes(options.status))
          throw new AppError('USAGE', `--status must be one of ${ctx.campaigns.campaignStatuses.join(', ')}`);
        const list = await ctx.campaigns.listCampaigns(ctx.warehouse, {
          status: options.status as never,
          service: options.service,
        });
        print(ctx, list, list.map(summaryRow));
      }),
    );

  campaign
    .command('show')
    .description('one campaign: content, rounds with their evaluation, history, earlier campaigns of the service')
    .argument('<id>', 'campaign id')
    .action(async (id: string) =>
      run({}, async (ctx) => {
        const detail = await ctx.campaigns.showCampaign(ctx.warehouse, id);
        if (ctx.context.format === 'json') return print(ctx, detail, []);
        ctx.context.print(formatRows([summaryRow(detail.campaign)], ctx.context.format));
        ctx.context.print(
          formatRows(
            detail.rounds.map((r) => ({
              round: r.round,
              kind: r.kind,
              started_at: r.startedAt,
              contacted: r.contacted,
              control: r.control,
              queued: r.queued,
              uplift_pp: fixed((r.evaluation as { uplift?: number } | null)?.uplift),
              rules: r.rules?.length ?? 0,
            })),
            ctx.context.format,
          ),
        );
        ctx.context.print(formatRows(detail.changes as unknown as Record<string, unknown>[], ctx.context.format));
      }),
    );

  campaign
    .command('approve')
    .description('approve a draft (maker–checker: a user with campaigns.approve who did not make it)')
    .argument('<id>', 'campaign id')
    .option(userOption, userHelp)
    .action(async (id: string, options: { user?: string }) =>
      run(options, async (ctx) => {
        const approved = await ctx.campaigns.approveCampaign(ctx.warehouse, id, ctx.actor, ctx.deps);
        print(ctx, approved, [summaryRow(approved)]);
      }),
    );

  campaign
    .command('pilot')
    .description('start a pilot: a random sample of the audience, a control group never contacted, messages queued')
    .argument('<id>', 'campaign id')
    .option(userOption, userHelp)
    .action(async (id: string, options: { user?: string }) =>
      run(options, async (ctx) => {
        const round = await ctx.campaigns.startPilot(ctx.warehouse, id, ctx.actor, ctx.deps);
        print(ctx, round, [roundRow(round)]);
      }),
    );

  campaign
    .command('evaluate')
    .description('uplift of the latest round against its control (orders loaded so far), and uplift rules on a pilot')
    .argument('<id>', 'campaign id')
    .option('--round <n>', 'evaluate this round instead of the latest')
    .option('--no-discover', 'skip rule discovery')
    .option(userOption, userHelp)
    .action(async (id: string, options: { round?: string; discover: boolean; user?: string }) =>
      run(options, async (ctx) => {
        const round = options.round === undefined ? undefined : Number(options.round);
        if (round !== undefined && !(Number.isInteger(round) && round > 0))
          throw new AppError('USAGE', `--round must be a round number such as 1, not "${options.round}"`);
        const e = await ctx.campaigns.evaluateCampaign(ctx.warehouse, id, ctx.actor, ctx.deps, {
          round,
          discover: options.discover,
        });
        if (ctx.context.format === 'json') return print(ctx, e, []);
        const row = (label: string, s: typeof e) => ({
          group: label,
          contacted: s.contacted,
          control: s.control,
          responders_contacted: s.responders_contacted,
          responders_control: s.responders_control,
          uplift_pp: fixed(s.uplift),
          ci_95: s.ci_low === null ? '' : `[${fixed(s.ci_low)}, ${fixed(s.ci_high)}]`,
          p_value: s.p_value === null ? '' : s.p_value.toPrecision(2),
        });
        ctx.context.print(
          formatRows(
            [
              row(`round ${e.round} (${e.kind})`, e),
              ...e.by_brand.map((b) => row(`brand ${b.brand}`, { ...e, ...b })),
              ...e.by_segment.map((b) => row(b.segment, { ...e, ...b })),
            ],
            ctx.context.format,
          ),
        );
        if (ctx.context.format === 'table') {
          ctx.context.print(
            `incremental orders ${e.incremental_orders ?? '–'}, cost ¥${e.cost_yuan}, per incremental order ¥${e.cost_per_incremental_order_yuan ?? '–'}; ` +
              `cancellations in the trial ${e.cancellations_contacted} / ${e.cancellations_control}; ${e.complete ? 'window complete' : `orders loaded until ${e.orders_until ?? 'none'}`}`,
          );
          for (const rule of e.rules as { text?: { en?: string } }[])
            ctx.context.print(`rule: ${rule.text?.en ?? JSON.stringify(rule)}`);
        }
      }),
    );

  campaign
    .command('rollout')
    .description('roll out to the audience, narrowed to the rules found on the pilot, with its own control group')
    .argument('<id>', 'campaign id')
    .option('--no-narrow', 'roll out to the whole audience, not narrowed to the rules')
    .option(userOption, userHelp)
    .action(async (id: string, options: { narrow: boolean; user?: string }) =>
      run(options, async (ctx) => {
        const round = await ctx.campaigns.startRollout(ctx.warehouse, id, ctx.actor, ctx.deps, {
          narrow: options.narrow ? undefined : false,
        });
        print(ctx, round, [roundRow(round)]);
      }),
    );

  campaign
    .command('close')
    .description('close an evaluated campaign and write its summary to the knowledge base')
    .argument('<id>', 'campaign id')
    .option('--lessons <text>', 'what the next campaign should know')
    .option(userOption, userHelp)
    .action(async (id: string, options: { lessons?: string; user?: string }) =>
      run(options, async (ctx) => {
        const entry = await ctx.campaigns.closeCampaign(ctx.warehouse, id, ctx.actor, ctx.deps, {
          lessons: options.lessons,
        });
        print(ctx, entry, [knowledgeRow(entry)]);
      }),
    );

  campaign
    .command('pause')
    .description('pause a running campaign: its pending messages are held in the outbox (not sent) until resume')
    .argument('<id>', 'campaign id')
    .option('--reason <text>', 'why')
    .option(userOption, userHelp)
    .action(async (id: string, options: { reason?: string; user?: string }) =>
      run(options, async (ctx) => {
        const out = await ctx.campaigns.pauseCampaign(ctx.warehouse, id, ctx.actor, ctx.deps, options.reason);
        print(ctx, { ...out.campaign, held: out.messages }, [{ ...summaryRow(out.campaign), held: out.messages }]);
      }),
    );

  campaign
    .command('resume')
    .description('resume a paused campaign: the messages its pause held go back to the sender')
    .argument('<id>', 'campaign id')
    .option(userOption, userHelp)
    .action(async (id: string, options: { user?: string }) =>
      run(options, async (ctx) => {
        const out = await ctx.campaigns.resumeCampaign(ctx.warehouse, id, ctx.actor, ctx.deps);
        print(ctx, { ...out.campaign, released: out.messages }, [
          { ...summaryRow(out.campaign), released: out.messages },
        ]);
      }),
    );

  campaign
    .command('cancel')
    .description('cancel a campaign that is not closed (messages already queued stay in the outbox)')
    .argument('<id>', 'campaign id')
    .option('--reason <text>', 'why')
    .option(userOption, userHelp)
    .action(async (id: string, options: { reason?: string; user?: string }) =>
      run(options, async (ctx) => {
        const cancelled = await ctx.campaigns.cancelCampaign(ctx.warehouse, id, ctx.actor, ctx.deps, options.reason);
        print(ctx, cancelled, [summaryRow(cancelled)]);
      }),
    );

  campaign
    .command('knowledge')
    .description('the knowledge base of closed campaigns, searchable')
    .option('--service <id>', 'promoted service')
    .option('--segment <text>', 'a brand, segment or attribute named by the audience or rules (e.g. mzone)')
    .option('--county <name>', 'county')
    .option('--channel <channel>', 'sms or email')
    .option('--season <season>', 'spring, summer, autumn or winter')
    .option('--result <result>', 'positive, none or negative')
    .option('--text <words>', 'words in the name, offer, text or lessons')
    .action(async (options: Record<string, string | undefined>) =>
      run({}, async (ctx) => {
        const entries = await ctx.campaigns.searchKnowledge(ctx.warehouse, options);
        print(ctx, entries, entries.map(knowledgeRow));
      }),
    );
}

async function readFileText(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'USAGE',
      `cannot read the campaign file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        location: { file },
        hint: 'give the path of a YAML campaign file, e.g. --file examples/campaigns/planted-offer.yaml',
      },
    );
  }
}

function summaryRow(c: {
  id: string;
  name: string;
  status: string;
  serviceId: string;
  channel: string;
  version: number;
  createdBy: string;
  approvedBy: string | null;
  paused?: { at: string } | null;
}) {
  return {
    id: c.id,
    name: c.name,
    status: c.paused ? `${c.status} (paused)` : c.status,
    service: c.serviceId,
    channel: c.channel,
    version: c.version,
    made_by: c.createdBy,
    approved_by: c.approvedBy ?? '',
  };
}

function roundRow(r: {
  campaignId: string;
  round: number;
  kind: string;
  audienceSize: number;
  contacted: number;
  control: number;
  queued: number;
  skipped: Record<string, number>;
}) {
  return {
    campaign: r.campaignId,
    round: r.round,
    kind: r.kind,
    audience: r.audienceSize,
    contacted: r.contacted,
    control: r.control,
    queued: r.queued,
    skipped: Object.entries(r.skipped)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  };
}

function knowledgeRow(e: {
  campaign_id: string;
  name: string;
  service_id: string;
  channel: string;
  season: string;
  result: string;
  uplift: number | null;
  ci_low: number | null;
  ci_high: number | null;
  cost_per_incremental_yuan: number | null;
  lessons: string;
}) {
  return {
    campaign: e.campaign_id,
    name: e.name,
    service: e.service_id,
    channel: e.channel,
    season: e.season,
    result: e.result,
    uplift_pp: fixed(e.uplift),
    ci_95: e.ci_low === null ? '' : `[${fixed(e.ci_low)}, ${fixed(e.ci_high)}]`,
    cost_per_incremental: e.cost_per_incremental_yuan === null ? '' : `¥${e.cost_per_incremental_yuan}`,
    lessons: e.lessons,
  };
}

function fixed(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : value.toFixed(2);
}

// Every subcommand module registers itself here; one line a module.
//
// Start-up rule (issue 16: `telmark --help` ≤ 0.2 s): this file and every module it lists are loaded
// on every run, so a command module imports at its top only what its *definition* needs: commander's
// types, AppError, ../output.ts, ../../shared/clock.ts, and light constant lists (e.g.
// analysis/analysis-kinds.ts, demo/generation-context.ts). Everything the command *does* is imported
// inside its action, when it runs:
//
//   .action(async (options) => {
//     const { makeContext } = await import('../context.ts');        // config (zod), progress bar
//     const { mineAssociationRules } = await import('../../mining/rules/index.ts');
//     ...
//   });
//
// Type-only imports (`import type { … }`) cost nothing. A rules run on a basket file loads no DuckDB,
// no Fastify, no React. test/cli/startup.test.ts fails when `telmark --help` loads a heavy module.
import type { Command } from 'commander';
import { registerAnomaliesCommand } from './anomalies.ts';
import { registerDemoCommand } from './demo.ts';
import { registerDetectCommand } from './detect.ts';
import { registerLoadCommand } from './load.ts';
import { registerAnalyzeCommand } from './analyze.ts';
import { registerKpiCommand } from './kpi.ts';
import { registerRulesCommand } from './rules.ts';
import { registerScoreCommand } from './score.ts';
import { registerSegmentCommand } from './segment.ts';
import { registerServeCommand } from './serve.ts';
import { registerSqlCommand } from './sql.ts';
import { registerStreamCommand } from './stream.ts';
import { registerReplayCommand } from './replay.ts';
import { registerStreamEffectCommand } from './stream-effect.ts';
import { registerTrainCommand } from './train.ts';
import { registerGenerateCommand } from './generate.ts';
import { registerUserCommand } from './user.ts';
import { registerTokenCommand } from './token.ts';
import { registerAuditCommand } from './audit.ts';
import { registerSendCommand } from './send.ts';
import { registerSenderCommand } from './sender.ts';
import { registerOutboxCommand } from './outbox.ts';
import { registerSmscCommand } from './smsc.ts';
import { registerSimulateResponsesCommand } from './simulate-responses.ts';
import { registerRewardsCommand } from './rewards.ts';
import { registerAudienceCommand } from './audience.ts';
import { registerCustomerCommand } from './customer.ts';
import { registerCampaignCommand } from './campaign.ts';
import { registerClusterCommand } from './cluster.ts';

export const commandModules: ReadonlyArray<(program: Command) => void> = [
  registerSqlCommand,
  registerLoadCommand,
  registerDemoCommand,
  registerRulesCommand,
  registerTrainCommand,
  registerScoreCommand,
  registerSegmentCommand,
  registerServeCommand,
  registerKpiCommand,
  registerAnalyzeCommand,
  registerStreamCommand,
  registerReplayCommand,
  registerStreamEffectCommand,
  registerGenerateCommand,
  registerDetectCommand,
  registerAnomaliesCommand,
  registerUserCommand,
  registerTokenCommand,
  registerAuditCommand,
  registerSendCommand,
  registerSenderCommand,
  registerOutboxCommand,
  registerSmscCommand,
  registerSimulateResponsesCommand,
  registerRewardsCommand,
  registerAudienceCommand,
  registerCustomerCommand,
  registerCampaignCommand,
  registerClusterCommand,
];

// Every subcommand module registers itself here; one line a module.
import type { Command } from 'commander';
import { registerDemoCommand } from './demo.ts';
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
import { registerSendCommand } from './send.ts';
import { registerSenderCommand } from './sender.ts';
import { registerOutboxCommand } from './outbox.ts';
import { registerSmscCommand } from './smsc.ts';

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
  registerSendCommand,
  registerSenderCommand,
  registerOutboxCommand,
  registerSmscCommand,
];

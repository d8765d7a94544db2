// What every command gets: the configuration, resolved once, and how to report.
import { type Config, loadConfig } from '../config/config.ts';
import { assertRunsOnEngine } from './engine-gate.ts';
import { makeOutputContext, type OutputContext } from './output-context.ts';

export interface GlobalOptions {
  db?: string;
  warehouse?: string;
  format?: string;
  config?: string;
}

export interface CommandContext extends OutputContext {
  config: Config;
}

export function makeContext(options: GlobalOptions): CommandContext {
  const output = makeOutputContext(options);
  const config = loadConfig({
    file: options.config,
    flags: { db: options.db, warehouse: options.warehouse },
    onWarning: output.note,
  });
  assertRunsOnEngine(config.warehouse);
  return { config, ...output };
}

// The `telmark` program: its global options, the commands given, and how a run ends (exit codes 0, 1,
// 2). Shared by main.ts (every command) and rules-main.ts (the rules command alone, bundled).
import { Command, CommanderError } from 'commander';
import { isAppError } from '../shared/errors.ts';
import { setRunningCommand } from './engine-gate.ts';

export type RegisterCommand = (program: Command) => void;

export function buildProgram(commands: readonly RegisterCommand[]): Command {
  const program = new Command('telmark')
    .description('Telmark: precision-marketing support for mobile operators')
    .option('--db <file>', 'warehouse file (default telmark.duckdb, or TELMARK_DB)')
    .option(
      '--warehouse <url>',
      'a ClickHouse cluster instead of the file: clickhouse://HOST:PORT,HOST:PORT/DB (or TELMARK_WAREHOUSE); kpi, load, sql, analyze, serve, audience, campaign, anomalies, train --models, rules --baskets-from, customer and stream run there, with the --db file as their operational store',
    )
    .option('--format <format>', 'output: table, json or csv', 'table')
    .option('--config <file>', 'configuration file (JSON)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  // Which command runs, so the context can refuse one not carried to a ClickHouse warehouse.
  program.hook('preAction', (_program, action) => {
    // `telmark campaign list` runs `list`: the gate goes by the top-level command.
    let command = action;
    while (command.parent && command.parent !== program) command = command.parent;
    setRunningCommand(command.name());
  });
  return program;
}

/** Runs the program on the arguments (without node and the script) and gives the exit code. */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command that finished but failed in part (e.g. `load` with a rejected file) says so through
    // process.exitCode; returning 0 here would overwrite it below.
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return 0;
      return 2;
    }
    if (isAppError(error)) {
      process.stderr.write(`telmark: ${error.describe()}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `telmark: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

// The `telmark` executable: parses the command line and hands each subcommand to its domain.
import type { Command } from 'commander';
import { commandModules } from './commands/index.ts';
import { buildProgram as buildWith, runProgram } from './run-program.ts';

export function buildProgram(): Command {
  return buildWith(commandModules);
}

export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}

const code = await main(process.argv.slice(2));
process.exitCode = code;

// `telmark rules` on its own (issue 16: rules on Groceries as a whole process ≤ 0.2 s). bin/telmark.js
// runs this instead of main.ts when the command is `rules`; scripts/build.mjs bundles it, with
// commander, the rules command, mining/rules and the rule writer, into dist/cli/rules-bundle.js, so a
// cold process reads and compiles one file instead of resolving ~60 modules and the other 27 command
// definitions. The program is the same one main.ts builds, with only this command registered: the
// same global options, help, errors and exit codes. The warehouse's baskets (--warehouse) stay lazy
// imports of dist/ modules.
import { registerRulesCommand } from './commands/rules.ts';
import { buildProgram, runProgram } from './run-program.ts';

process.exitCode = await runProgram(buildProgram([registerRulesCommand]), process.argv.slice(2));

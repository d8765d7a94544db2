import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { rowsToCsv } from '../../shared/csv-text.ts';
import { formatRows } from '../output.ts';

interface ScoreOptions {
  model: string;
  table: string;
  out?: string;
  format?: string;
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score a CSV table with a saved model (telmark train --save)')
    .requiredOption('--model <file>', 'model file (JSON)')
    .requiredOption('--table <file>', 'CSV table with the columns the model was trained on')
    .option('--out <file>', 'write the scores as CSV to this file')
    .option('--format <format>', 'output: table, json or csv')
    .action(async (options: ScoreOptions) => {
      const { makeContext } = await import('../context.ts');
      const { loadModelFile, scoreTable } = await import('../../mining/models/index.ts');
      const { readCsvTable } = await import('../../mining/table/index.ts');
      const context = makeContext({ ...program.opts(), ...(options.format ? { format: options.format } : {}) });
      const model = loadModelFile(options.model);
      const rows = scoreTable(model, readCsvTable(options.table)).map((row, i) => ({
        row: i + 1,
        ...row.keys,
        score: Math.round(row.score * 1e6) / 1e6,
        label: row.label,
      }));
      if (options.out) {
        writeFileSync(options.out, rowsToCsv(rows));
        context.note(`${rows.length} scores written to ${options.out}`);
      } else context.print(formatRows(rows, context.format));
    });
}

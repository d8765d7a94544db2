// `telmark anomalies`: what the warehouse detectors found (they run after every load), or with
// --detect, run them again over a day range.
import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { formatRows } from '../output.ts';

interface AnomaliesCommandOptions {
  from?: string;
  to?: string;
  severity?: string;
  detect?: boolean;
  lang: string;
  format?: string;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

export function registerAnomaliesCommand(program: Command): void {
  program
    .command('anomalies')
    .description('anomalies found in the warehouse (detected after every load); --detect runs the detectors again')
    .option('--from <day>', 'first day (YYYY-MM-DD)')
    .option('--to <day>', 'last day (YYYY-MM-DD)')
    .option('--severity <level>', 'only info, warning or critical')
    .option('--detect', 'run the detectors over --from..--to first (default: the last loaded day)')
    .option('--lang <lang>', 'explanations in zh or en', 'zh')
    .option('--format <format>', 'output: table, json or csv')
    .action(async (options: AnomaliesCommandOptions) => {
      const { makeContext } = await import('../context.ts');
      const { withWarehouse } = await import('../../warehouse/warehouse.ts');
      const context = makeContext({ ...program.opts(), ...(options.format ? { format: options.format } : {}) });
      for (const [flag, value] of [
        ['--from', options.from],
        ['--to', options.to],
      ] as const) {
        if (value !== undefined && !dayPattern.test(value))
          throw new AppError('USAGE', `${flag} must be a day written YYYY-MM-DD, not "${value}"`);
      }
      if (options.severity && !['info', 'warning', 'critical'].includes(options.severity))
        throw new AppError('USAGE', `--severity must be info, warning or critical, not "${options.severity}"`);
      if (options.lang !== 'zh' && options.lang !== 'en')
        throw new AppError('USAGE', `--lang must be zh or en, not "${options.lang}"`);
      const lang = options.lang;
      const { detectWarehouseAnomalies, listAnomalies } = await import('../../anomalies/index.ts');
      // With a ClickHouse warehouse the detectors read the cluster; the anomalies are kept in the file.
      const { openFactsLoaded } = await import('../lazy-context.ts');
      const facts = options.detect ? await openFactsLoaded(context.config.warehouse) : undefined;
      const rows = await withWarehouse(
        context.config.db,
        async (warehouse) => {
          if (options.detect) {
            const run = await detectWarehouseAnomalies(warehouse, {
              from: options.from,
              to: options.to,
              clock: systemClock,
              ...(facts ? { facts } : {}),
            });
            context.note(
              `detected ${run.anomalies.length} anomalies on ${run.from}..${run.to} (${run.slices} slices, ${run.tests} tests, ${(run.ms / 1000).toFixed(1)} s)`,
            );
          }
          return listAnomalies(warehouse, {
            from: options.from,
            to: options.to,
            severity: options.severity as 'info' | 'warning' | 'critical' | undefined,
          });
        },
        { threads: context.config.threads, memoryLimit: context.config.memoryLimit },
      );
      if (context.format === 'json') {
        context.print(JSON.stringify(rows, null, 2));
        return;
      }
      context.print(
        formatRows(
          rows.map((a) => ({
            day: a.day,
            severity: a.severity,
            kind: a.kind,
            observed: a.observed,
            expected: Math.round(a.expected * 10) / 10,
            explanation: a.explanation[lang],
          })),
          context.format,
        ),
      );
    });
}

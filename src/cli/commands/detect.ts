// `telmark detect`: the generic anomaly detector on any CSV time series (docs/anomalies.md).
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { formatRows } from '../output.ts';

interface DetectCommandOptions {
  series: string;
  timeCol?: string;
  valueCol?: string;
  season?: string;
  window: string;
  quiet: string;
  format?: string;
}

export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'anomalies in any time series, each point judged only from the points before it; --format csv gives timestamp,value,anomaly_score,alert',
    )
    .requiredOption('--series <file>', 'CSV file with a header row, one point a line, in time order')
    .option('--time-col <name>', 'time column (default: the first)')
    .option('--value-col <name>', 'value column (default: the second)')
    .option('--season <points>', 'points in one seasonal cycle (default: a day, or a week for daily data; 0 for none)')
    .option('--window <points>', 'points in the moving window of the local level', '100')
    .option('--quiet <points>', 'points after an alert without a new alert', '300')
    .option('--format <format>', 'output: table (alerts only), json (alerts and summary) or csv (every row)')
    .action(async (options: DetectCommandOptions) => {
      // A series file needs no configuration (and so no zod): the output context alone.
      const { makeOutputContext } = await import('../output-context.ts');
      const context = makeOutputContext({ ...program.opts(), ...(options.format ? { format: options.format } : {}) });
      const { readSeriesCsv, detectSeries, alertThreshold } = await import('../../anomalies/index.ts');
      const levelWindow = positiveInteger(options.window, '--window');
      const quietPoints = positiveInteger(options.quiet, '--quiet', 0);
      const season = options.season === undefined ? undefined : positiveInteger(options.season, '--season', 0);
      const series = readSeriesCsv(options.series, { timeColumn: options.timeCol, valueColumn: options.valueCol });
      const result = detectSeries(series.timesSec, series.values, {
        levelWindow,
        quietPoints,
        ...(season === undefined ? {} : { seasonPoints: season }),
      });
      if (context.format === 'csv') {
        process.stdout.write(csvOutput(series.times, series.values, result.scores, result.alerts));
        return;
      }
      const alerts: { row: number; timestamp: string; value: number; anomaly_score: number }[] = [];
      for (let i = 0; i < result.alerts.length; i++)
        if (result.alerts[i])
          alerts.push({
            row: i + 2,
            timestamp: series.times[i] as string,
            value: series.values[i] as number,
            anomaly_score: Math.round((result.scores[i] as number) * 1000) / 1000,
          });
      if (context.format === 'json') {
        context.print(
          JSON.stringify(
            {
              series: options.series,
              points: series.values.length,
              seasonPoints: result.seasonPoints,
              threshold: alertThreshold,
              alerts,
            },
            null,
            2,
          ),
        );
        return;
      }
      context.note(
        `${series.values.length} points, season ${result.seasonPoints || 'none'}, ${alerts.length} alerts at score ≥ ${alertThreshold}`,
      );
      context.print(formatRows(alerts, 'table'));
    });
}

function positiveInteger(text: string, flag: string, minimum = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < minimum)
    throw new AppError('USAGE', `${flag} must be a whole number of at least ${minimum}, not "${text}"`);
  return n;
}

/** One row per input row; written in chunks so a million rows do not build one giant array of lines. */
function csvOutput(times: string[], values: Float64Array, scores: Float64Array, alerts: Uint8Array): string {
  const parts: string[] = ['timestamp,value,anomaly_score,alert\n'];
  for (let i = 0; i < times.length; i++) {
    const v = values[i] as number;
    const time = times[i] as string;
    const cellTime = /[",]/.test(time) ? `"${time.replace(/"/g, '""')}"` : time;
    parts.push(
      `${cellTime},${Number.isNaN(v) ? '' : v},${Math.round((scores[i] as number) * 1e6) / 1e6},${alerts[i]}\n`,
    );
  }
  return parts.join('');
}

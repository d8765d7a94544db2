import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { LoadSummary } from '../../warehouse/load/index.ts';
import type { CommandContext } from '../context.ts';
import { formatRows } from '../output.ts';

export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('validate and load the feed files of a folder; bad rows are quarantined; safe to re-run')
    .argument('<dir>', 'folder holding <feed>.csv[.gz] and <feed>_YYYYMMDD.csv[.gz] files')
    .option('--encoding <encoding>', 'utf8 or gbk', 'utf8')
    .option('--reload', 'load files again even if already loaded, replacing their rows (e.g. after a late snapshot)')
    .option(
      '--period-tolerance <days>',
      "days a row may be dated outside its file's day and still load (default 1, or load.periodToleranceDays)",
    )
    .action(async (dir: string, options: { encoding: string; reload?: boolean; periodTolerance?: string }) => {
      const { makeContext } = await import('../context.ts');
      const { loadDirectory } = await import('../../warehouse/load/index.ts');
      const { withWarehouse } = await import('../../warehouse/warehouse.ts');
      const { loadProgressOn } = await import('../load-progress.ts');
      const context = makeContext(program.opts());
      if (options.encoding !== 'utf8' && options.encoding !== 'gbk') {
        throw new AppError('USAGE', `--encoding must be utf8 or gbk, not "${options.encoding}"`);
      }
      const tolerance = options.periodTolerance === undefined ? undefined : Number(options.periodTolerance);
      if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 31)) {
        throw new AppError(
          'USAGE',
          `--period-tolerance must be a number of days from 0 to 31, not "${options.periodTolerance}"`,
        );
      }
      const encoding = options.encoding;
      if (context.config.warehouse) {
        const { ClickHouseWarehouse, loadDirectoryToClickHouse } = await import('../../warehouse/clickhouse/index.ts');
        const cluster = await ClickHouseWarehouse.open(context.config.warehouse);
        const summary = await loadDirectoryToClickHouse(cluster, dir, {
          encoding,
          reload: options.reload === true,
          periodToleranceDays: tolerance ?? context.config.load.periodToleranceDays,
          clock: systemClock,
          progress: loadProgressOn(context.progress),
        });
        context.progress.stop();
        printSummary(context, summary);
        // The detectors read the cluster's aggregates; anomalies and alerts are state, kept in the file.
        if (summary.derivedFrom && summary.derivedTo) {
          const { derivedFrom: from, derivedTo: to } = summary;
          const { isAppError } = await import('../../shared/errors.ts');
          const detection = await withWarehouse(
            context.config.db,
            async (warehouse) => {
              const { detectWarehouseAnomalies } = await import('../../anomalies/index.ts');
              const found = await detectWarehouseAnomalies(warehouse, { from, to, clock: systemClock, facts: cluster });
              const { runAlertRouting } = await import('../../alerts/index.ts');
              await runAlertRouting(warehouse, { clock: systemClock, channels: context.config.channels });
              return found;
            },
            { threads: context.config.threads, memoryLimit: context.config.memoryLimit },
          ).catch((error: unknown) => {
            // The facts are loaded; only the state file is busy (a server owns it). Say so, do not fail.
            if (!isAppError(error) || error.code !== 'WAREHOUSE_LOCKED') throw error;
            context.note(
              `telmark: anomaly detection skipped: ${error.message}; the server's alert timer routes what later detections find`,
            );
            return undefined;
          });
          if (detection) noteDetection(context, detection);
        }
        if (summary.rejected.length > 0) process.exitCode = 1;
        return;
      }
      const { summary, detection } = await withWarehouse(
        context.config.db,
        async (warehouse) => {
          const summary = await loadDirectory(warehouse, dir, {
            encoding,
            reload: options.reload === true,
            periodToleranceDays: tolerance ?? context.config.load.periodToleranceDays,
            clock: systemClock,
            progress: loadProgressOn(context.progress),
          });
          // The anomaly detectors judge the days this load rebuilt, from the aggregates just written.
          if (!summary.derivedFrom || !summary.derivedTo) return { summary, detection: undefined };
          const { detectWarehouseAnomalies } = await import('../../anomalies/index.ts');
          const detection = await detectWarehouseAnomalies(warehouse, {
            from: summary.derivedFrom,
            to: summary.derivedTo,
            clock: systemClock,
          });
          // Alerts for what was found queue at once (the channels' sender delivers them).
          const { runAlertRouting } = await import('../../alerts/index.ts');
          await runAlertRouting(warehouse, { clock: systemClock, channels: context.config.channels });
          return { summary, detection };
        },
        { threads: context.config.threads, memoryLimit: context.config.memoryLimit },
      );
      context.progress.stop();
      printSummary(context, summary);
      if (detection) noteDetection(context, detection);
      if (summary.rejected.length > 0) process.exitCode = 1;
    });
}

function noteDetection(
  context: CommandContext,
  detection: { anomalies: unknown[]; from: string; to: string; slices: number; tests: number; ms: number },
): void {
  context.note(
    `anomalies: ${detection.anomalies.length} on ${detection.from}..${detection.to} (${detection.slices} slices, ${detection.tests} tests, ${(detection.ms / 1000).toFixed(1)} s); list them with telmark anomalies --from ${detection.from}`,
  );
}

function printSummary(context: CommandContext, summary: LoadSummary): void {
  if (context.format !== 'table') {
    const rows = summary.files.map((f) => ({
      file: f.fileName,
      feed: f.feed,
      outcome: f.outcome,
      rows_read: f.rowsRead,
      rows_loaded: f.rowsLoaded,
      rows_quarantined: f.rowsQuarantined,
      notes: f.notes.join('; '),
    }));
    for (const r of summary.rejected) {
      rows.push({
        file: r.fileName,
        feed: '',
        outcome: 'rejected',
        rows_read: 0,
        rows_loaded: 0,
        rows_quarantined: 0,
        notes: r.error.message,
      } as never);
    }
    context.print(
      context.format === 'json'
        ? JSON.stringify(
            { ...summary, rejected: summary.rejected.map((r) => ({ file: r.fileName, ...r.error.toJSON() })) },
            null,
            2,
          )
        : formatRows(rows, 'csv'),
    );
    return;
  }
  const loaded = summary.files.filter((f) => f.outcome !== 'skipped');
  const skipped = summary.files.filter((f) => f.outcome === 'skipped');
  const lines: string[] = [];
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  const rate = summary.loadMs > 0 ? Math.round(summary.rowsRead / (summary.loadMs / 1000)) : 0;
  lines.push(
    `files: ${loaded.length} loaded, ${skipped.length} already loaded (skipped), ${summary.rejected.length} rejected, ${summary.ignored.length} ignored`,
  );
  const n = (x: number) => x.toLocaleString('en');
  // Every line is in exactly one row, and every row is loaded or quarantined: say so, with the sum.
  const spanning = summary.linesRead !== summary.rowsRead ? ` (a quoted field may span lines)` : '';
  lines.push(
    `rows: ${n(summary.rowsRead)} read = ${n(summary.rowsLoaded)} loaded + ${n(summary.rowsQuarantined)} quarantined; all ${n(summary.linesRead)} lines accounted for${spanning}`,
  );
  lines.push(
    `time: ${secs(summary.loadMs)} s load (${rate.toLocaleString('en')} rows/s), ${secs(summary.derivedMs)} s aggregates for ${summary.derivedDays} day(s)`,
  );
  const reasons = Object.entries(summary.quarantinedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    lines.push(
      'quarantined, by reason (each row with file, line and raw text: telmark sql "SELECT * FROM quarantine"):',
    );
    for (const [reason, n] of reasons) lines.push(`  ${n.toLocaleString('en').padStart(8)}  ${reason}`);
  }
  for (const f of summary.files) {
    if (f.notes.length > 0 && f.outcome !== 'skipped') lines.push(`note ${f.fileName}: ${f.notes.join('; ')}`);
  }
  for (const r of summary.rejected) lines.push(`rejected ${r.error.describe()}`);
  if (summary.ignored.length > 0) lines.push(`ignored (not .csv or .csv.gz): ${summary.ignored.join(', ')}`);
  context.print(lines.join('\n'));
}

import type { Command } from 'commander';
import { analysisKinds } from '../../analysis/analysis-kinds.ts';
import { dateOption } from '../date-option.ts';
import { headlineLine } from '../headline-line.ts';
import { formatRows } from '../output.ts';
import { parseFilters } from './kpi.ts';

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description(`one of the business analyses: ${analysisKinds.join(', ')}`)
    .argument('<kind>', analysisKinds.join(' | '))
    .option('--from <date>', 'first day, YYYY-MM-DD (default: first loaded day)', dateOption('--from'))
    .option('--to <date>', 'last day, YYYY-MM-DD (default: last loaded day)', dateOption('--to'))
    .option('--grain <grain>', 'day, week or month for the trends')
    .option(
      '--cutover <date>',
      'effect: compare before and after this day (default: middle of the range)',
      dateOption('--cutover'),
    )
    .option('--geofence <id>', 'area-view: a stored geofence (the area types, counties via --filter)')
    .option('--fields <list>', 'area-view: present,brands,callers (default: all)')
    .option('--section <id>', 'print only this section')
    .option(
      '--filter <dim=values>',
      'keep only these values, e.g. --filter county=源城 (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(
      async (
        kind: string,
        options: {
          from?: string;
          to?: string;
          grain?: string;
          cutover?: string;
          geofence?: string;
          fields?: string;
          section?: string;
          filter: string[];
        },
      ) => {
        const { makeContext } = await import('../context.ts');
        const { runAnalysis } = await import('../../analysis/index.ts');
        const { queryString, readWarehouseOrServer } = await import('../forward-when-locked.ts');
        const context = makeContext(program.opts());
        const request = {
          from: options.from,
          to: options.to,
          grain: options.grain,
          cutover: options.cutover,
          geofence: options.geofence,
          fields: options.fields?.split(',').map((f) => f.trim()),
          filters: parseFilters(options.filter),
        };
        const { filters, fields, ...range } = request;
        const remotePath = `/api/analysis/${encodeURIComponent(kind)}${queryString({ ...range, fields: fields?.join(','), ...filters })}`;
        const onCluster = async (url: string) => {
          const { ClickHouseWarehouse } = await import('../../warehouse/clickhouse/index.ts');
          const cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
          if (kind !== 'marketing') return runAnalysis(cluster, kind, request);
          // The outbox is in the operational store (--db) beside the cluster; a server holding it answers instead.
          return readWarehouseOrServer(
            context.config.db,
            { local: (state) => runAnalysis(cluster, kind, request, { state }), remotePath },
            context.note,
          );
        };
        const result = context.config.warehouse
          ? await onCluster(context.config.warehouse)
          : await readWarehouseOrServer(
              context.config.db,
              { local: (warehouse) => runAnalysis(warehouse, kind, request), remotePath },
              context.note,
            );
        const sections = result.sections.filter((s) => !options.section || s.id === options.section);
        if (context.format === 'json') {
          context.print(JSON.stringify({ ...result, sections }, null, 2));
          return;
        }
        if (context.format === 'table') {
          context.print(`${result.title.zh} ${result.title.en}: ${result.from} – ${result.to}`);
          for (const h of result.headlines ?? []) context.print(headlineLine(h));
        }
        for (const section of sections) {
          if (context.format === 'table')
            context.print(`\n== ${section.id}: ${section.title.zh} / ${section.title.en}`);
          // A person reads a coded value's label (the activity measure's name, not its category), in
          // English like the table's column keys; CSV and JSON keep the codes for machines.
          const rows =
            context.format === 'table'
              ? section.rows.map((row) => {
                  const named = { ...row };
                  for (const column of section.columns) {
                    const label = column.values?.[String(row[column.key])];
                    if (label) named[column.key] = label.en;
                  }
                  return named;
                })
              : section.rows;
          context.print(formatRows(rows, context.format));
        }
      },
    );
}

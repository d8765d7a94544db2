import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { dateOption } from '../date-option.ts';
import { formatRows } from '../output.ts';

export function registerKpiCommand(program: Command): void {
  program
    .command('kpi')
    .description('one KPI, optionally broken down; without METRIC, lists the KPIs')
    .argument('[metric]', 'KPI name, e.g. subscribers, penetration, orders, net_adds, active_rate, arpu, churn_rate')
    .option(
      '--by <dims>',
      'comma-separated breakdown, e.g. month,county (day|week|month, region, county, brand, service, …)',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (default: first loaded day)', dateOption('--from'))
    .option('--to <date>', 'last day, YYYY-MM-DD (default: last loaded day)', dateOption('--to'))
    .option(
      '--filter <dim=values>',
      'keep only these values, e.g. --filter brand=mzone --filter county=源城,东源 (repeatable)',
      collect,
      [] as string[],
    )
    .action(
      async (name: string | undefined, options: { by?: string; from?: string; to?: string; filter: string[] }) => {
        const { makeContext } = await import('../context.ts');
        const { metricDefinitions, queryMetric } = await import('../../metrics/index.ts');
        const { queryString, readWarehouseOrServer } = await import('../forward-when-locked.ts');
        const context = makeContext(program.opts());
        if (!name) {
          const rows = metricDefinitions.map((m) => ({
            metric: m.name,
            label: m.label.zh,
            unit: m.unit,
            dimensions: m.dimensions.join(','),
          }));
          context.print(formatRows(rows, context.format));
          return;
        }
        const request = {
          by: splitList(options.by),
          filters: parseFilters(options.filter),
          from: options.from,
          to: options.to,
        };
        const result = context.config.warehouse
          ? await queryClickHouse(context.config.warehouse, name, request)
          : await readWarehouseOrServer(
              context.config.db,
              {
                local: (warehouse) => queryMetric(warehouse, name, request),
                remotePath: `/api/kpi/${encodeURIComponent(name)}${queryString({ by: request.by, from: request.from, to: request.to, ...request.filters })}`,
              },
              context.note,
            );
        if (context.format === 'table')
          context.note(`${result.metric.label.zh} (${result.metric.name}) ${result.from} – ${result.to}`);
        context.print(formatRows(result.rows, context.format));
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseFilters(items: readonly string[]): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    if (at <= 0) throw new AppError('USAGE', `--filter must look like dim=value[,value], not "${item}"`);
    const dim = item.slice(0, at).trim();
    filters[dim] = [...(filters[dim] ?? []), ...splitList(item.slice(at + 1))];
  }
  return filters;
}

/** The KPI on the ClickHouse cluster: the same compiler, its ClickHouse dialect, aggregates only. */
async function queryClickHouse(
  url: string,
  name: string,
  request: Parameters<typeof import('../../metrics/index.ts').queryMetric>[2],
) {
  const { ClickHouseWarehouse } = await import('../../warehouse/clickhouse/index.ts');
  const { queryMetric } = await import('../../metrics/index.ts');
  const cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
  return queryMetric(cluster, name, request);
}

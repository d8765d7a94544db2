import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { formatRows } from '../output.ts';

interface ClusterOptions {
  folder: string;
  shards: string;
  natsNodes: string;
}

export function registerClusterCommand(program: Command): void {
  program
    .command('cluster')
    .description(
      'ClickHouse shards and NATS nodes on loopback for scale-out trials and tests: `up` starts them (free ports, no systemd), `down` stops them by process id',
    )
    .argument('<action>', 'up or down')
    .option(
      '--folder <dir>',
      'where the nodes keep their configuration, data, logs and process ids',
      '.telmark-cluster',
    )
    .option('--shards <n>', 'ClickHouse shards', '2')
    .option('--nats-nodes <n>', 'NATS JetStream nodes', '3')
    .action(async (action: string, options: ClusterOptions) => {
      const { makeOutputContext } = await import('../output-context.ts');
      const context = makeOutputContext(program.opts());
      const count = (flag: string, value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 8)
          throw new AppError('USAGE', `${flag} must be a whole number from 1 to 8, not "${value}"`);
        return n;
      };
      if (action === 'up') {
        const shards = count('--shards', options.shards);
        const natsNodes = count('--nats-nodes', options.natsNodes);
        const { startCluster } = await import('../../cluster/index.ts');
        const addresses = await startCluster(options.folder, { shards, natsNodes });
        if (context.format === 'json') context.print(JSON.stringify(addresses));
        else
          context.print(
            formatRows(
              [
                { what: 'warehouse', address: addresses.warehouse },
                ...addresses.nats.map((address) => ({ what: 'nats', address })),
              ],
              context.format,
            ),
          );
        if (context.format === 'table')
          context.note(
            `load and query with --warehouse ${addresses.warehouse}; stop with telmark cluster down --folder ${options.folder}`,
          );
        return;
      }
      if (action === 'down') {
        const { stopCluster } = await import('../../cluster/index.ts');
        const { stopped } = await stopCluster(options.folder);
        if (context.format === 'json') context.print(JSON.stringify({ stopped }));
        else
          context.note(stopped ? `stopped the cluster in ${options.folder}` : `no cluster was up in ${options.folder}`);
        return;
      }
      throw new AppError('USAGE', `cluster action must be up or down, not "${action}"`, {
        hint: 'telmark cluster up [--folder DIR] [--format json], telmark cluster down [--folder DIR]',
      });
    });
}

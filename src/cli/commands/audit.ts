// `telmark audit`: checks the audit log's hash chain, then lists its newest rows. Exits 1 when the
// chain is broken (a row edited, removed or reordered), naming the first row that does not fit.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { loadContext } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('verify the audit log (hash chain) and list its newest rows')
    .option('--limit <n>', 'rows to list', '50')
    .option('--actor <name>', 'only this actor')
    .option('--action <prefix>', 'only actions starting with this, e.g. login or PUT')
    .action(async (options: { limit: string; actor?: string; action?: string }) => {
      const context = await loadContext(program.opts());
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new AppError('USAGE', `--limit must be a whole number above 0, not "${options.limit}"`);
      const { listAudit, verifyAuditChain } = await import('../../access/index.ts');
      const { withWarehouse } = await import('../../warehouse/index.ts');
      const { check, rows } = await withWarehouse(context.config.db, async (warehouse) => ({
        check: await verifyAuditChain(warehouse),
        rows: await listAudit(warehouse, { limit, actor: options.actor, action: options.action }),
      }));
      context.print(
        formatRows(
          rows.map((r) => ({
            seq: r.seq,
            at: r.recorded_at,
            actor: r.actor,
            address: r.address,
            action: r.action,
            target: r.target,
            outcome: r.outcome,
          })),
          context.format,
        ),
      );
      if (!check.ok)
        throw new AppError(
          'AUDIT_TAMPERED',
          `the audit log was tampered with: row ${check.brokenAt}: ${check.reason}`,
          {
            location: { file: context.config.db, line: check.brokenAt },
            hint: 'restore the warehouse from a backup and find out who had write access to the file',
          },
        );
      context.note(`telmark: audit chain intact (${check.rows} rows)`);
    });
}

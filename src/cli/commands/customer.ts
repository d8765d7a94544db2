// `telmark customer MSISDN`: the profile a call-centre agent sees, for one customer by exact number.
// Like the API, every view is written to the audit log; when a server holds the warehouse the
// question goes to its API (which audits it there).
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { formatRows } from '../output.ts';

interface CustomerCommandOptions {
  lang: string;
  format?: string;
}

export function registerCustomerCommand(program: Command): void {
  program
    .command('customer')
    .description("one customer's profile for the call centre (by exact 11-digit number; every view is audited)")
    .argument('<msisdn>', "the customer's mobile number, e.g. 13800138000 (spaces and +86 are dropped)")
    .option('--lang <lang>', 'texts in zh or en', 'zh')
    .option('--format <format>', 'output: table, json or csv')
    .action(async (input: string, options: CustomerCommandOptions) => {
      if (options.lang !== 'zh' && options.lang !== 'en')
        throw new AppError('USAGE', `--lang must be zh or en, not "${options.lang}"`);
      const lang = options.lang;
      const { loadContext, openFactsLoaded } = await import('../lazy-context.ts');
      const context = await loadContext({ ...program.opts(), ...(options.format ? { format: options.format } : {}) });
      const { parseMsisdn, readCustomerProfile } = await import('../../customers/index.ts');
      const { appendAudit } = await import('../../access/index.ts');
      const { systemClock } = await import('../../shared/clock.ts');
      const { readWarehouseOrServer } = await import('../forward-when-locked.ts');
      const { userInfo } = await import('node:os');
      const msisdn = parseMsisdn(input);
      // With a ClickHouse warehouse the facts and scores come from the cluster; the audit stays in the file.
      const facts = await openFactsLoaded(context.config.warehouse);
      const profile = await readWarehouseOrServer(
        context.config.db,
        {
          local: async (warehouse) => {
            const actor = `cli:${userInfo().username}`;
            try {
              const found = await readCustomerProfile(warehouse, msisdn, {
                clock: systemClock,
                ...(facts ? { facts } : {}),
              });
              await appendAudit(warehouse, systemClock, audit(actor, msisdn, '200'));
              return found;
            } catch (error) {
              await appendAudit(warehouse, systemClock, audit(actor, msisdn, 'failed'));
              throw error;
            }
          },
          remotePath: `/api/customers/${msisdn}`,
        },
        context.note,
      );
      if (context.format === 'json') {
        context.print(JSON.stringify(profile, null, 2));
        return;
      }
      const { profileLines } = await import('../customer-lines.ts');
      context.print(formatRows(profileLines(profile, lang), context.format));
    });
}

function audit(actor: string, msisdn: string, outcome: string) {
  return { actor, address: 'local', action: 'customer.view', target: `msisdn=${msisdn}`, outcome };
}

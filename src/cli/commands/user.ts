// `telmark user add|list|disable|enable|passwd|roles`: local accounts. Every change lands in the audit log.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { loadContext } from '../lazy-context.ts';
import { formatRows } from '../output.ts';
import { localActor, readPasswordFromStdin } from '../read-password.ts';

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('local user accounts: add, list, disable, enable, passwd, roles');

  user
    .command('add')
    .description('add a user; without --password-stdin a password is generated and printed once')
    .argument('<name>', 'user name (a letter, then letters, digits, _ . -)')
    .requiredOption(
      '--role <roles>',
      'comma-separated roles: admin, analyst, campaign_manager, approver, agent, oncall',
    )
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(async (name: string, options: { role: string; passwordStdin?: boolean }) => {
      const context = await loadContext(program.opts());
      const access = await import('../../access/index.ts');
      const roles = access.parseRoles(options.role, '--role');
      const password = options.passwordStdin ? await readPasswordFromStdin() : access.newPassword();
      const { withWarehouse } = await import('../../warehouse/index.ts');
      const { systemClock } = await import('../../shared/clock.ts');
      const account = await withWarehouse(context.config.db, async (warehouse) => {
        const created = await access.createAccount(warehouse, systemClock, { username: name, password, roles });
        await access.appendAudit(warehouse, systemClock, {
          ...(await localActor()),
          action: 'user.add',
          target: name,
          detail: { roles },
        });
        return created;
      });
      context.print(formatRows([{ user: account.username, roles: account.roles.join(',') }], context.format));
      if (!options.passwordStdin) context.note(`telmark: password of ${name} (shown once): ${password}`);
    });

  user
    .command('list')
    .description('the users with their roles and state')
    .action(async () => {
      const context = await loadContext(program.opts());
      const { listAccounts } = await import('../../access/index.ts');
      const { withWarehouse } = await import('../../warehouse/index.ts');
      const accounts = await withWarehouse(context.config.db, listAccounts);
      context.print(
        formatRows(
          accounts.map((a) => ({
            user: a.username,
            roles: a.roles.join(','),
            state: a.disabled ? 'disabled' : 'enabled',
            created: a.createdAt,
            password_changed: a.passwordChangedAt,
          })),
          context.format,
        ),
      );
    });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(verb)
      .description(disabled ? 'disable a user: sessions end at once, tokens stop working' : 'enable a disabled user')
      .argument('<name>', 'user name')
      .action(async (name: string) => {
        const context = await loadContext(program.opts());
        await changeAccount(context.config.db, `user.${verb}`, name, {}, (access, warehouse) =>
          access.setDisabled(warehouse, name, disabled),
        );
        context.note(`telmark: ${name} ${disabled ? 'disabled' : 'enabled'}`);
      });
  }

  user
    .command('passwd')
    .description("set a user's password (generated and printed once without --password-stdin); ends their sessions")
    .argument('<name>', 'user name')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(async (name: string, options: { passwordStdin?: boolean }) => {
      const context = await loadContext(program.opts());
      const { newPassword } = await import('../../access/index.ts');
      const password = options.passwordStdin ? await readPasswordFromStdin() : newPassword();
      const { systemClock } = await import('../../shared/clock.ts');
      await changeAccount(context.config.db, 'user.passwd', name, {}, (access, warehouse) =>
        access.setPassword(warehouse, systemClock, name, password),
      );
      context.note(
        options.passwordStdin
          ? `telmark: password of ${name} changed`
          : `telmark: new password of ${name} (shown once): ${password}`,
      );
    });

  user
    .command('roles')
    .description("replace a user's roles")
    .argument('<name>', 'user name')
    .argument('<roles>', 'comma-separated roles: admin, analyst, campaign_manager, approver, agent, oncall')
    .action(async (name: string, roleText: string) => {
      const context = await loadContext(program.opts());
      const { parseRoles } = await import('../../access/index.ts');
      const roles = parseRoles(roleText, 'roles');
      const account = await changeAccount(context.config.db, 'user.roles', name, { roles }, (access, warehouse) =>
        access.setRoles(warehouse, name, roles),
      );
      context.print(formatRows([{ user: account.username, roles: account.roles.join(',') }], context.format));
    });
}

type AccessModule = typeof import('../../access/index.ts');
type WarehouseType = import('../../warehouse/index.ts').Warehouse;

async function changeAccount<T>(
  db: string,
  action: string,
  name: string,
  detail: Record<string, unknown>,
  change: (access: AccessModule, warehouse: WarehouseType) => Promise<T>,
): Promise<T> {
  const access = await import('../../access/index.ts');
  const { withWarehouse } = await import('../../warehouse/index.ts');
  const { systemClock } = await import('../../shared/clock.ts');
  if (name === '') throw new AppError('USAGE', 'name a user');
  return withWarehouse(db, async (warehouse) => {
    const result = await change(access, warehouse);
    await access.appendAudit(warehouse, systemClock, { ...(await localActor()), action, target: name, detail });
    return result;
  });
}

// `telmark token create|revoke|list`: API tokens for scripts (`Authorization: Bearer …`), printed once.
import type { Command } from 'commander';
import { loadContext } from '../lazy-context.ts';
import { formatRows } from '../output.ts';
import { localActor } from '../read-password.ts';

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens for scripts and machines: create, revoke, list');

  token
    .command('create')
    .description('create a token for a user and print it once')
    .requiredOption('--user <name>', 'the user the token acts for')
    .option('--expires <duration>', 'lifetime, e.g. 90d, 12h, 30m', '90d')
    .option('--role <roles>', "comma-separated roles, a subset of the user's (default: all of them)")
    .option('--note <text>', 'what the token is for')
    .action(async (options: { user: string; expires: string; role?: string; note?: string }) => {
      const context = await loadContext(program.opts());
      const access = await import('../../access/index.ts');
      const lifetimeMs = access.parseDuration(options.expires, '--expires');
      const roles = options.role === undefined ? undefined : access.parseRoles(options.role, '--role');
      const { withWarehouse } = await import('../../warehouse/index.ts');
      const { systemClock } = await import('../../shared/clock.ts');
      const created = await withWarehouse(context.config.db, async (warehouse) => {
        const made = await access.createApiToken(warehouse, systemClock, {
          username: options.user,
          lifetimeMs,
          ...(roles ? { roles } : {}),
          ...(options.note ? { note: options.note } : {}),
        });
        await access.appendAudit(warehouse, systemClock, {
          ...(await localActor()),
          action: 'token.create',
          target: made.info.tokenId,
          detail: { user: options.user, roles: made.info.roles, expiresAt: made.info.expiresAt },
        });
        return made;
      });
      context.print(
        formatRows(
          [
            {
              id: created.info.tokenId,
              user: created.info.username,
              roles: created.info.roles.join(','),
              expires: created.info.expiresAt,
              token: created.token,
            },
          ],
          context.format,
        ),
      );
      context.note('telmark: the token is shown once; keep it like a password');
    });

  token
    .command('revoke')
    .description('revoke a token by its id (the letters and digits between tmk_ and the next _)')
    .argument('<id>', 'token id, as `telmark token list` shows it')
    .action(async (id: string) => {
      const context = await loadContext(program.opts());
      const access = await import('../../access/index.ts');
      const { withWarehouse } = await import('../../warehouse/index.ts');
      const { systemClock } = await import('../../shared/clock.ts');
      await withWarehouse(context.config.db, async (warehouse) => {
        await access.revokeApiToken(warehouse, systemClock, id);
        await access.appendAudit(warehouse, systemClock, {
          ...(await localActor()),
          action: 'token.revoke',
          target: id,
        });
      });
      context.note(`telmark: token ${id} revoked`);
    });

  token
    .command('list')
    .description('the tokens (never their secrets): user, roles, expiry, revocation')
    .action(async () => {
      const context = await loadContext(program.opts());
      const { listApiTokens } = await import('../../access/index.ts');
      const { withWarehouse } = await import('../../warehouse/index.ts');
      const tokens = await withWarehouse(context.config.db, listApiTokens);
      context.print(
        formatRows(
          tokens.map((t) => ({
            id: t.tokenId,
            user: t.username,
            roles: t.roles.join(','),
            created: t.createdAt,
            expires: t.expiresAt,
            revoked: t.revokedAt ?? '',
            note: t.note ?? '',
          })),
          context.format,
        ),
      );
    });
}

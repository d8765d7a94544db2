// Local user accounts: create, list, disable/enable, change password or roles, check a login.
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { hashPassword, unmatchableHash, verifyPassword } from './password-hash.ts';
import { isRole, type Role, roles as allRoles } from './roles.ts';
import { forgetTokenChecks } from './token-check-cache.ts';

export interface Account {
  userId: number;
  username: string;
  roles: Role[];
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string;
}

type UserRow = {
  user_id: number;
  username: string;
  password_hash: string;
  roles: string;
  disabled: boolean;
  created_ms: number;
  password_changed_ms: number;
};

const usernamePattern = /^[a-zA-Z][a-zA-Z0-9_.-]{1,63}$/;
export const minPasswordLength = 10;

/** `admin,analyst` → roles, with an error naming the unknown one and the known ones. */
export function parseRoles(text: string, field = 'role'): Role[] {
  const names = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (names.length === 0)
    throw new AppError('USAGE', `${field}: name at least one role`, { hint: allRoles.join(', ') });
  for (const name of names) {
    if (!isRole(name))
      throw new AppError('USAGE', `unknown role "${name}"`, {
        location: { field },
        hint: `roles: ${allRoles.join(', ')}`,
      });
  }
  return [...new Set(names as Role[])];
}

function checkPassword(password: string): void {
  if (password.length < minPasswordLength)
    throw new AppError('INPUT_INVALID', `the password must have at least ${minPasswordLength} characters`, {
      location: { field: 'password' },
    });
}

function toAccount(row: UserRow): Account {
  return {
    userId: row.user_id,
    username: row.username,
    roles: row.roles.split(',').filter(isRole),
    disabled: row.disabled,
    createdAt: new Date(row.created_ms).toISOString(),
    passwordChangedAt: new Date(row.password_changed_ms).toISOString(),
  };
}

export async function createAccount(
  warehouse: Warehouse,
  clock: Clock,
  input: { username: string; password: string; roles: readonly Role[] },
): Promise<Account> {
  if (!usernamePattern.test(input.username))
    throw new AppError('INPUT_INVALID', `user name "${input.username}" is not allowed`, {
      location: { field: 'username' },
      hint: 'a letter, then 1–63 letters, digits, _ . or -',
    });
  checkPassword(input.password);
  if (await findAccount(warehouse, input.username))
    throw new AppError('INPUT_INVALID', `user "${input.username}" exists already`, {
      location: { field: 'username' },
      hint: '`telmark user passwd` or `telmark user roles` change an existing user',
    });
  const now = clock.nowMs();
  await warehouse.run(
    `INSERT INTO users (user_id, username, password_hash, roles, disabled, created_ms, password_changed_ms)
     VALUES (nextval('user_seq'), ?, ?, ?, false, ?, ?)`,
    [input.username, await hashPassword(input.password), input.roles.join(','), now, now],
  );
  return (await findAccount(warehouse, input.username)) as Account;
}

export async function findAccount(warehouse: Warehouse, username: string): Promise<Account | undefined> {
  const row = await warehouse.one<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  return row ? toAccount(row) : undefined;
}

export async function accountById(warehouse: Warehouse, userId: number): Promise<Account | undefined> {
  const row = await warehouse.one<UserRow>('SELECT * FROM users WHERE user_id = ?', [userId]);
  return row ? toAccount(row) : undefined;
}

export async function listAccounts(warehouse: Warehouse): Promise<Account[]> {
  return (await warehouse.all<UserRow>('SELECT * FROM users ORDER BY username')).map(toAccount);
}

export async function countAccounts(warehouse: Warehouse): Promise<number> {
  return warehouse.scalar('SELECT count(*) FROM users');
}

async function mustFind(warehouse: Warehouse, username: string): Promise<Account> {
  const account = await findAccount(warehouse, username);
  if (!account)
    throw new AppError('NOT_FOUND', `no user "${username}"`, { hint: '`telmark user list` shows the users' });
  return account;
}

/** Disabling also ends the user's sessions; tokens stop working because their user is disabled. */
export async function setDisabled(warehouse: Warehouse, username: string, disabled: boolean): Promise<Account> {
  const account = await mustFind(warehouse, username);
  await warehouse.run('UPDATE users SET disabled = ? WHERE user_id = ?', [disabled, account.userId]);
  if (disabled) await warehouse.run('DELETE FROM sessions WHERE user_id = ?', [account.userId]);
  forgetTokenChecks();
  return { ...account, disabled };
}

/** A new password ends every session of the user (whoever had the old one is signed out). */
export async function setPassword(
  warehouse: Warehouse,
  clock: Clock,
  username: string,
  password: string,
): Promise<Account> {
  checkPassword(password);
  const account = await mustFind(warehouse, username);
  await warehouse.run('UPDATE users SET password_hash = ?, password_changed_ms = ? WHERE user_id = ?', [
    await hashPassword(password),
    clock.nowMs(),
    account.userId,
  ]);
  await warehouse.run('DELETE FROM sessions WHERE user_id = ?', [account.userId]);
  forgetTokenChecks();
  return account;
}

export async function setRoles(warehouse: Warehouse, username: string, roles: readonly Role[]): Promise<Account> {
  const account = await mustFind(warehouse, username);
  await warehouse.run('UPDATE users SET roles = ? WHERE user_id = ?', [roles.join(','), account.userId]);
  forgetTokenChecks();
  return { ...account, roles: [...roles] };
}

/** The account when name and password match an enabled user; undefined otherwise (same time either way). */
export async function checkLogin(
  warehouse: Warehouse,
  username: string,
  password: string,
): Promise<Account | undefined> {
  const row = await warehouse.one<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  const ok = await verifyPassword(password, row?.password_hash ?? unmatchableHash);
  return row && ok && !row.disabled ? toAccount(row) : undefined;
}

// When a running server owns the warehouse (DuckDB lets one process hold it), commands that only
// read send their question to that server's API instead of failing on the lock.
import { AppError, isAppError } from '../shared/errors.ts';
import { readOwner, withWarehouse, type Warehouse } from '../warehouse/index.ts';
import { readLocalToken } from './local-token.ts';

export interface Forwardable<T> {
  local(warehouse: Warehouse): Promise<T>;
  /** The API path and query that answer the same question, e.g. `/api/kpi/orders?by=month`. */
  remotePath: string;
}

export async function readWarehouseOrServer<T>(
  dbPath: string,
  work: Forwardable<T>,
  note: (text: string) => void,
): Promise<T> {
  try {
    return await withWarehouse(dbPath, work.local);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'WAREHOUSE_LOCKED') throw error;
    const owner = readOwner(dbPath);
    if (!owner?.url) throw error;
    note(`telmark: ${dbPath} is held by \`${owner.role}\`; asking it at ${owner.url}`);
    const token = readLocalToken(dbPath);
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(`${owner.url}${work.remotePath}`, { headers }).catch((cause: unknown) => {
      throw new AppError('WAREHOUSE_LOCKED', `${error.message}, and its server did not answer: ${String(cause)}`, {
        cause,
      });
    });
    const body = (await response.json()) as T & { error?: { code?: string; message?: string; hint?: string } };
    if (!response.ok) {
      const code = (body.error?.code ?? 'INTERNAL') as ConstructorParameters<typeof AppError>[0];
      throw new AppError(code, body.error?.message ?? `the server answered ${response.status}`, {
        ...(body.error?.hint ? { hint: body.error.hint } : {}),
      });
    }
    return body;
  }
}

/** `?a=1&b=x,y` from the defined entries of an object; arrays are joined with commas. */
export function queryString(params: Record<string, string | readonly string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(',');
    if (text !== '') search.set(key, text);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

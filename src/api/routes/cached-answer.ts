// The answer of a read-only route through the result cache, computed on a reader connection, with an
// x-telmark-cache header saying whether it was computed for this request (miss) or kept (hit).
import type { FastifyReply } from 'fastify';
import type { QueryWarehouse, Warehouse } from '../../warehouse/index.ts';
import { requestKey } from '../result-cache.ts';
import type { RouteDeps } from '../server.ts';

export async function cachedAnswer<T>(
  deps: RouteDeps,
  reply: FastifyReply,
  path: string,
  query: Readonly<Record<string, unknown>>,
  compute: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const computeOnReader = () => (deps.readers ? deps.readers.use(compute) : compute(deps.warehouse));
  return throughCache(deps, reply, path, query, computeOnReader);
}

/**
 * The same for a route whose domain code runs on either engine (KPIs, carried analyses): on the
 * ClickHouse cluster when the facts are there, else on a reader of the file.
 */
export async function cachedFactsAnswer<T>(
  deps: RouteDeps,
  reply: FastifyReply,
  path: string,
  query: Readonly<Record<string, unknown>>,
  compute: (warehouse: QueryWarehouse) => Promise<T>,
): Promise<T> {
  if (deps.facts.engine === 'clickhouse') return throughCache(deps, reply, path, query, () => compute(deps.facts));
  return cachedAnswer(deps, reply, path, query, compute);
}

async function throughCache<T>(
  deps: RouteDeps,
  reply: FastifyReply,
  path: string,
  query: Readonly<Record<string, unknown>>,
  compute: () => Promise<T>,
): Promise<T> {
  if (!deps.results) return compute();
  const { value, outcome } = await deps.results.get(requestKey(path, query), compute);
  void reply.header('x-telmark-cache', outcome);
  return value;
}

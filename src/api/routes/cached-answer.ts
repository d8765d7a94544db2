// The answer of a read-only route through the result cache, computed on a reader connection, with an
// x-telmark-cache header saying whether it was computed for this request (miss) or kept (hit).
import type { FastifyReply } from 'fastify';
import { requestKey } from '../result-cache.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { RouteDeps } from '../server.ts';

export async function cachedAnswer<T>(
  deps: RouteDeps,
  reply: FastifyReply,
  path: string,
  query: Readonly<Record<string, unknown>>,
  compute: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const computeOnReader = () => (deps.readers ? deps.readers.use(compute) : compute(deps.warehouse));
  if (!deps.results) return computeOnReader();
  const { value, outcome } = await deps.results.get(requestKey(path, query), computeOnReader);
  void reply.header('x-telmark-cache', outcome);
  return value;
}

// The answer of a read-only route through the result cache, with an x-telmark-cache header saying
// whether it was computed for this request (miss) or kept from an earlier one (hit).
import type { FastifyReply } from 'fastify';
import { requestKey } from '../result-cache.ts';
import type { RouteDeps } from '../server.ts';

export async function cachedAnswer<T>(
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

// Liveness and what the warehouse holds: the dashboard uses it to show the data's date range.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../server.ts';

export async function healthRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { right: 'public' },
      schema: {
        tags: ['system'],
        summary: 'liveness and the date range of loaded data',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              time: { type: 'string' },
              firstDay: { type: ['string', 'null'] },
              lastDay: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async () => {
      const range = await deps.facts.one<{ first_day: string | null; last_day: string | null }>(
        deps.facts.engine === 'clickhouse'
          ? // An empty table gives 1970-01-01 there, not NULL.
            'SELECT if(count() = 0, NULL, toString(min(day))) AS first_day, if(count() = 0, NULL, toString(max(day))) AS last_day FROM agg_area_day'
          : 'SELECT CAST(min(day) AS VARCHAR) AS first_day, CAST(max(day) AS VARCHAR) AS last_day FROM agg_area_day',
      );
      return {
        status: 'ok',
        time: deps.clock.now().toISOString(),
        firstDay: range?.first_day ?? null,
        lastDay: range?.last_day ?? null,
      };
    },
  );
}

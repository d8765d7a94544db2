import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../server.ts';

export async function kpiRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}

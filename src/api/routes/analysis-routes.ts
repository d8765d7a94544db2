import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../server.ts';

export async function analysisRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}

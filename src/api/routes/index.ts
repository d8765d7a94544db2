// Every HTTP route module, one line each. To add one: create src/api/routes/<domain>-routes.ts
// exporting `async function <domain>Routes(app, deps)` of type RouteModule (deps: warehouse, clock;
// add optional members to RouteDeps in ../server.ts if you need more), declare a JSON schema for every
// params/querystring/body (a bad input then becomes a 400 with { error: { code, message, location, hint } }),
// throw AppError for domain errors, give each route `schema.tags` so it groups in /api/docs, and add a
// line below. Paths start with /api/.
import type { RouteModule } from '../server.ts';
import { alertsRoutes } from './alerts-routes.ts';
import { accessRoutes } from './access-routes.ts';
import { analysisRoutes } from './analysis-routes.ts';
import { channelsRoutes } from './channels-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { kpiRoutes } from './kpi-routes.ts';
import { miningRoutes } from './mining-routes.ts';
import { rewardsRoutes } from './rewards-routes.ts';
import { campaignsRoutes } from './campaigns-routes.ts';
import { streamRoutes } from './stream-routes.ts';
import { audienceRoutes } from './audience-routes.ts';

export const routeModules: readonly RouteModule[] = [
  healthRoutes,
  kpiRoutes,
  analysisRoutes,
  streamRoutes,
  miningRoutes,
  alertsRoutes,
  accessRoutes,
  channelsRoutes,
  rewardsRoutes,
  campaignsRoutes,
  audienceRoutes,
  customerRoutes,
];

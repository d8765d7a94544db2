// The rights a route or a command can require. Every HTTP route declares one in its options
// (`config: { right: 'kpi.read' }`); a route without one refuses to start the server. Roles are sets
// of these rights (see roles.ts once access control lands); 'public' needs no credentials at all.
export const rights = [
  'public',
  // analysis
  'kpi.read',
  'mining.read',
  'mining.train',
  // real time
  'stream.read',
  'rules.write',
  // channels and the outbox
  'channels.read',
  'channels.send',
  // campaigns and audiences
  'campaigns.read',
  'campaigns.write',
  'campaigns.approve',
  // anomalies and alerts
  'alerts.read',
  'alerts.ack',
  'alerts.configure',
  // the customer profile (call centre)
  'customer.view',
  'customer.record',
  // personal data: see full phone numbers in answers, exports and pages
  'msisdn.unmasked',
  // administration
  'users.admin',
  'audit.read',
  'settings.admin',
] as const;

export type Right = (typeof rights)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The right a caller needs for this route. */
    right?: Right;
  }
}

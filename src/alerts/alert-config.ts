// How anomalies become alerts: routes (which anomalies, who hears of them, in what order) and the
// on-call groups whose member on duty follows a rota. Stored as JSON in alert_routes and
// alert_oncall_groups so operators change routing without a release.
import type { AnomalyKind, Severity } from '../anomalies/index.ts';

/** A phone number (SMS), an e-mail address, or an on-call group resolved to its member on duty. */
export type Receiver =
  | { kind: 'sms'; phone: string }
  | { kind: 'email'; email: string }
  | { kind: 'oncall'; group: string };

export interface AlertRoute {
  name: string;
  match: {
    /** KPI names (orders, cancellations, unconfirmed_share …); any when absent. */
    kpis?: string[];
    kinds?: AnomalyKind[];
    /** Every listed dimension must have this value. */
    dimensions?: Record<string, string>;
    minSeverity?: Severity;
  };
  /** Anomalies alike in these fields share one message: `kpi`, `day`, `kind` or a dimension name. */
  groupBy: string[];
  /** Escalation chain: step 0 is told first; step i+1 when step i has not acknowledged in time. */
  steps: Receiver[][];
  escalateAfterMinutes: number;
  /** An unacknowledged alert is sent again to its current step after this long. */
  repeatAfterMinutes: number;
}

export interface OnCallGroup {
  name: string;
  members: { name: string; phone?: string; email?: string }[];
  /** The rota: member i is on duty for `shiftHours` from rotaStart + i * shiftHours, round and round. */
  rotaStart: string;
  shiftHours: number;
}

export interface AlertConfig {
  routes: AlertRoute[];
  oncall: OnCallGroup[];
}

/** Where no route is configured: every warning or worse to the on-call group "ops", escalating to "managers". */
export const defaultAlertConfig: AlertConfig = {
  routes: [
    {
      name: 'default',
      match: { minSeverity: 'warning' },
      groupBy: ['day', 'kpi'],
      steps: [[{ kind: 'oncall', group: 'ops' }], [{ kind: 'oncall', group: 'managers' }]],
      escalateAfterMinutes: 30,
      repeatAfterMinutes: 240,
    },
  ],
  oncall: [],
};

/** Checks a configuration from outside (HTTP, a file); every problem with its path, then one error. */
export function parseAlertConfig(value: unknown): { config?: AlertConfig; problems: string[] } {
  const problems: string[] = [];
  const v = value as Partial<AlertConfig> | null;
  if (!v || !Array.isArray(v.routes) || !Array.isArray(v.oncall))
    return { problems: ['the configuration needs "routes" and "oncall" arrays'] };
  const groups = new Set<string>();
  v.oncall.forEach((g, i) => {
    const at = `oncall[${i}]`;
    if (typeof g?.name !== 'string' || g.name === '') problems.push(`${at}.name: a name is needed`);
    else groups.add(g.name);
    if (!Array.isArray(g?.members) || g.members.length === 0) problems.push(`${at}.members: at least one member`);
    if (!(Number(g?.shiftHours) > 0)) problems.push(`${at}.shiftHours: a positive number of hours`);
    if (Number.isNaN(Date.parse(String(g?.rotaStart)))) problems.push(`${at}.rotaStart: an ISO date and time`);
  });
  const names = new Set<string>();
  v.routes.forEach((r, i) => {
    const at = `routes[${i}]`;
    if (typeof r?.name !== 'string' || r.name === '') problems.push(`${at}.name: a name is needed`);
    else if (names.has(r.name)) problems.push(`${at}.name: "${r.name}" is used twice`);
    else names.add(r.name);
    if (typeof r?.match !== 'object' || r.match === null) problems.push(`${at}.match: an object (may be empty)`);
    if (!Array.isArray(r?.groupBy)) problems.push(`${at}.groupBy: an array such as ["day", "kpi"]`);
    if (!Array.isArray(r?.steps) || r.steps.length === 0) problems.push(`${at}.steps: at least one step of receivers`);
    else
      r.steps.forEach((step, s) => {
        if (!Array.isArray(step)) {
          problems.push(`${at}.steps[${s}]: an array of receivers`);
          return;
        }
        step.forEach((receiver, k) => {
          const where = `${at}.steps[${s}][${k}]`;
          if (receiver?.kind === 'sms' && !/^\d{11}$/.test(String(receiver.phone)))
            problems.push(`${where}.phone: 11 digits`);
          else if (receiver?.kind === 'email' && !/^[^@\s]+@[^@\s]+$/.test(String(receiver.email)))
            problems.push(`${where}.email: an e-mail address`);
          else if (receiver?.kind === 'oncall' && !groups.has(String(receiver.group)))
            problems.push(`${where}.group: no on-call group "${String(receiver.group)}"`);
          else if (!['sms', 'email', 'oncall'].includes(String(receiver?.kind)))
            problems.push(`${where}.kind: sms, email or oncall`);
        });
      });
    for (const field of ['escalateAfterMinutes', 'repeatAfterMinutes'] as const)
      if (!(Number(r?.[field]) > 0)) problems.push(`${at}.${field}: a positive number of minutes`);
  });
  return problems.length ? { problems } : { config: v as AlertConfig, problems };
}

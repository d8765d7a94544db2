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

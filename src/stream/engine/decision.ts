// What the engine decided for one matched rule: send a message, hold the subscriber out as control, or
// suppress with a reason. Every decision goes to the outbox; its id is derived from the event, so a
// replay after a restart produces the same ids and the outbox ignores the repeats.

export type DecisionStatus = 'pending' | 'control' | 'suppressed';
export type SuppressionReason = 'cap' | 'opted_out' | 'quiet_hours';

export interface Decision {
  decisionId: string;
  ruleId: string;
  ruleVersion: number;
  msisdn: string;
  /** Geofence id where the rule matched; empty for rules without `where`. */
  area: string;
  message: string;
  serviceId: string | undefined;
  /** Event time of the triggering event (ms, local wall time). */
  eventTsMs: number;
  /** Wall time of the decision, from the Clock. */
  decidedAtMs: number;
  status: DecisionStatus;
  suppression: SuppressionReason | undefined;
  /** Why the rule matched, and why it was suppressed if it was. */
  reason: string;
  /** Wall-clock ms at which the event arrived, for latency figures. */
  arrivedAtMs: number;
}

export function decisionId(
  ruleId: string,
  msisdn: string,
  eventTsMs: number,
  status: DecisionStatus,
  suppression?: string,
): string {
  return `${ruleId}|${msisdn}|${eventTsMs}|${status}${suppression ? `:${suppression}` : ''}`;
}

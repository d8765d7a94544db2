// Turns decisions into simulated orders, for the demo: a messaged subscriber orders the promoted service
// within the rule's response window with their propensity; a control subscriber orders at their base
// (organic) rate. Draws are deterministic by decision id, so a replay simulates the same orders.
import { hashFraction } from '../engine/control-group.ts';
import type { Decision } from '../engine/decision.ts';

/** Chance (0..1) that the subscriber takes up the service when offered it. */
export type Propensity = (msisdn: string, serviceId: string) => number;

export interface ResponseSimulatorOptions {
  propensity: Propensity;
  /** Chance of ordering without any message within the window; default propensity × 0.006 a day. */
  baseRate?: (msisdn: string, serviceId: string, windowSec: number) => number;
  /** Response window of a rule in seconds. */
  windowOf: (ruleId: string) => number;
}

export interface SimulatedResponse {
  decisionId: string;
  ruleId: string;
  msisdn: string;
  area: string;
  group: 'triggered' | 'control';
  serviceId: string;
  orderTsMs: number;
}

export const ORGANIC_DAILY_FACTOR = 0.006;

export function createResponseSimulator(
  options: ResponseSimulatorOptions,
): (decision: Decision) => SimulatedResponse | undefined {
  const baseRate =
    options.baseRate ??
    ((msisdn: string, serviceId: string, windowSec: number) =>
      Math.min(1, options.propensity(msisdn, serviceId) * ORGANIC_DAILY_FACTOR * (windowSec / 86400)));
  return (decision) => {
    if (decision.status === 'suppressed' || !decision.serviceId) return undefined;
    const windowSec = options.windowOf(decision.ruleId);
    const group = decision.status === 'control' ? 'control' : 'triggered';
    const chance =
      group === 'triggered'
        ? options.propensity(decision.msisdn, decision.serviceId)
        : baseRate(decision.msisdn, decision.serviceId, windowSec);
    if (hashFraction(`${decision.decisionId}|respond`) >= chance) return undefined;
    // Most responses come soon after the message: the delay is the window times a squared uniform draw.
    const delay = hashFraction(`${decision.decisionId}|delay`) ** 2 * windowSec * 1000;
    return {
      decisionId: decision.decisionId,
      ruleId: decision.ruleId,
      msisdn: decision.msisdn,
      area: decision.area,
      group,
      serviceId: decision.serviceId,
      orderTsMs: decision.eventTsMs + Math.max(1000, Math.round(delay)),
    };
  };
}

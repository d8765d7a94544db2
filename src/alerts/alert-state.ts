// The state alert routing keeps between runs: one group per alert (anomalies that share a message),
// and silences.
import type { Severity } from '../anomalies/index.ts';

export type AlertStatus = 'open' | 'acknowledged' | 'silenced';

export interface AlertGroup {
  key: string;
  route: string;
  status: AlertStatus;
  severity: Severity;
  anomalyIds: number[];
  summary: { zh: string; en: string };
  firstAt: string;
  lastChangeAt: string;
  lastSentAt: string | null;
  /** Index into the route's escalation steps, and when that step was reached. */
  step: number;
  stepAt: string | null;
  /** Short code for the acknowledgement link and the SMS reply ("ACK 7K3Q9P"). */
  ackToken: string;
  ackedBy: string | null;
  ackedAt: string | null;
  silencedBy: number | null;
}

export interface Silence {
  id: number;
  /** Every field given must match: a series key, a KPI, dimension values, a route. */
  matcher: { series?: string; kpi?: string; dimensions?: Record<string, string>; route?: string };
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** One message to queue: kept by the sink, sent through the channels' outbox. */
export interface AlertMessage {
  groupKey: string;
  channel: 'sms' | 'email';
  address: string;
  subject: string;
  body: string;
  reason: 'new' | 'update' | 'repeat' | 'escalation' | 'unsilenced';
}

/** Where routed messages are kept (alert_messages); runAlertRouting then hands them to the channels' outbox. */
export interface AlertSink {
  queue(messages: readonly AlertMessage[]): Promise<void>;
}

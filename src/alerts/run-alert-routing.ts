// One routing run: read recent anomalies and the alert state, step, write the state back and queue
// the messages (alert_messages, then the outbox). Run after detection and on `telmark serve`'s timer
// (startAlertTimer), so new anomalies, repeats, escalations and silence expiry need no command.
import { listAnomalies } from '../anomalies/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { acknowledge, tokenInReply } from './acknowledge-alert.ts';
import type { AlertGroup, AlertSink } from './alert-state.ts';
import {
  loadAlertConfig,
  loadAlertGroups,
  loadSilences,
  randomAckToken,
  saveAlertGroups,
  TableAlertSink,
} from './alert-store.ts';
import { inAlertTurn } from './alert-turn.ts';
import { routeAlerts } from './route-alerts.ts';
import { forwardAlertMessages } from './forward-alert-messages.ts';
import type { ChannelsConfig } from '../channels/index.ts';
import { defaultConfig } from '../config/config.ts';

export interface AlertRoutingOptions {
  clock: Clock;
  sink?: AlertSink;
  /** Anomalies of the last this many days (default 7) are routed; older ones were routed before or are stale. */
  days?: number;
  ackUrl?: string;
  newToken?: () => string;
  /** The channels' settings for handing the messages to the outbox (default: the built-in defaults). */
  channels?: ChannelsConfig;
}

export function runAlertRouting(
  warehouse: Warehouse,
  options: AlertRoutingOptions,
): Promise<{ groups: number; messages: number }> {
  return inAlertTurn(warehouse, () => routeOnce(warehouse, options));
}

async function routeOnce(
  warehouse: Warehouse,
  options: AlertRoutingOptions,
): Promise<{ groups: number; messages: number }> {
  const now = options.clock.now();
  const lastDay = await warehouse.one<{ last: string | null }>(
    'SELECT CAST(max(day) AS VARCHAR) AS last FROM anomalies',
  );
  const from = lastDay?.last
    ? new Date(Date.parse(`${lastDay.last}T00:00:00Z`) - ((options.days ?? 7) - 1) * 86_400_000)
        .toISOString()
        .slice(0, 10)
    : undefined;
  const anomalies = from ? await listAnomalies(warehouse, { from }) : [];
  const groups = await loadAlertGroups(warehouse);
  const known = await listAnomalies(warehouse, { ids: [...new Set(groups.flatMap((g) => g.anomalyIds))] });
  const result = routeAlerts({
    anomalies: [...anomalies, ...known.filter((k) => !anomalies.some((a) => a.id === k.id))],
    groups,
    silences: await loadSilences(warehouse),
    config: await loadAlertConfig(warehouse),
    now,
    newToken: options.newToken ?? randomAckToken,
    ackUrl: options.ackUrl,
  });
  // On a connection of its own: the server's requests share this Warehouse.
  await warehouse.write(async (tx) => {
    await saveAlertGroups(tx, result.groups);
    await (options.sink ?? new TableAlertSink(tx, options.clock)).queue(result.messages);
  });
  // After the commit: the outbox opens a transaction of its own, and what routing kept is never lost.
  if (!options.sink)
    await forwardAlertMessages(warehouse, {
      channels: options.channels ?? defaultConfig.channels,
      clock: options.clock,
    });
  return { groups: result.groups.length, messages: result.messages.length };
}

/** Acknowledges by link token or by the text of an SMS reply; NOT_FOUND when nothing open matches. */
export function acknowledgeAlert(
  warehouse: Warehouse,
  input: { token?: string; replyText?: string; by: string },
  clock: Clock,
): Promise<AlertGroup> {
  return inAlertTurn(warehouse, () => acknowledgeOnce(warehouse, input, clock));
}

async function acknowledgeOnce(
  warehouse: Warehouse,
  input: { token?: string; replyText?: string; by: string },
  clock: Clock,
): Promise<AlertGroup> {
  const token = input.token ?? (input.replyText === undefined ? undefined : tokenInReply(input.replyText));
  if (!token)
    throw new AppError('INPUT_INVALID', 'no acknowledgement code given', {
      hint: 'pass the token of the link, or a reply such as "ACK 7K3Q9P"',
    });
  const { groups, acknowledged } = acknowledge(await loadAlertGroups(warehouse), token, input.by, clock.now());
  if (!acknowledged) throw new AppError('NOT_FOUND', `no open alert has the code ${token}`);
  await saveAlertGroups(
    warehouse,
    groups.filter((g) => g.key === acknowledged.key),
  );
  return acknowledged;
}

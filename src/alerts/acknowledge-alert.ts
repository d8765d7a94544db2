// Acknowledgement, by the link's token or by an SMS reply ("ACK 7K3Q9P", "确认 7K3Q9P"): pure, over
// the groups; an acknowledged group gets no repeats and no escalation.
import type { AlertGroup } from './alert-state.ts';

/** The code in an SMS reply, or undefined when the text is no acknowledgement. */
export function tokenInReply(text: string): string | undefined {
  const m = /^\s*(?:ack|ok|确认|收到)\s*[:：]?\s*([A-Za-z0-9]{4,12})\s*$/i.exec(text);
  return m?.[1]?.toUpperCase();
}

export function acknowledge(
  groups: readonly AlertGroup[],
  token: string,
  by: string,
  now: Date,
): { groups: AlertGroup[]; acknowledged: AlertGroup | undefined } {
  let acknowledged: AlertGroup | undefined;
  const next = groups.map((g) => {
    if (g.ackToken.toUpperCase() !== token.toUpperCase() || g.status === 'acknowledged') return g;
    acknowledged = { ...g, status: 'acknowledged' as const, ackedBy: by, ackedAt: now.toISOString() };
    return acknowledged;
  });
  return { groups: next, acknowledged };
}

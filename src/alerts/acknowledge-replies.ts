// SMS replies to alerts, read from the replies the channels' receiver keeps (channel_responses): an
// on-call person who answers an alert SMS with one of the configured words (`确认`, `ACK` …)
// acknowledges the alert that SMS carried; "ACK CODE" acknowledges the alert with that code. Each reply
// is judged once (alert_replies), so the timer may run as often as it likes, and a reply that arrived
// while nothing was running is still judged on the next run.
import type { Clock } from '../shared/clock.ts';
import { sqlTimestamp, type Warehouse } from '../warehouse/index.ts';
import { acknowledge, tokenInReply } from './acknowledge-alert.ts';
import type { AlertGroup } from './alert-state.ts';
import { inAlertTurn } from './alert-turn.ts';
import { loadAlertGroups, saveAlertGroups } from './alert-store.ts';

export type ReplyOutcome = 'acknowledged' | 'already_acknowledged' | 'no_open_alert' | 'not_an_acknowledgement';

export interface ReplyJudgement {
  responseId: number;
  groupKey: string | null;
  outcome: ReplyOutcome;
}

interface Reply {
  response_id: number;
  msisdn: string;
  text: string;
  /** The alert group of the alert SMS this reply answers (the latest message sent to the number). */
  answered_group: string | null;
}

/** The alert word a reply is, normalised; undefined when it is none. */
export function ackWordIn(text: string, ackWords: readonly string[]): string | undefined {
  const word = text.trim().toUpperCase();
  return ackWords.some((w) => w.trim().toUpperCase() === word) ? word : undefined;
}

export function acknowledgeReplies(
  warehouse: Warehouse,
  options: { clock: Clock; ackWords: readonly string[] },
): Promise<ReplyJudgement[]> {
  return inAlertTurn(warehouse, () => judgeReplies(warehouse, options));
}

async function judgeReplies(
  warehouse: Warehouse,
  options: { clock: Clock; ackWords: readonly string[] },
): Promise<ReplyJudgement[]> {
  // Replies not judged yet that answer an alert SMS or carry a code; other replies belong to marketing.
  const replies = await warehouse.all<Reply & Record<string, unknown>>(
    `SELECT r.response_id, r.msisdn, r.text, m.group_key AS answered_group
     FROM channel_responses r
     LEFT JOIN alert_messages m ON r.message_id = 'alert-' || CAST(m.id AS VARCHAR)
     WHERE NOT r.opt_out AND r.response_id NOT IN (SELECT response_id FROM alert_replies)
       AND (m.id IS NOT NULL OR regexp_matches(r.text, '^\\s*(ack|ok|确认|收到)\\s*[:：]?\\s*[A-Za-z0-9]{4,12}\\s*$', 'i'))
     ORDER BY r.response_id`,
  );
  const judged: ReplyJudgement[] = [];
  let groups: AlertGroup[] | undefined;
  const changed = new Map<string, AlertGroup>();
  const now = options.clock.now();
  for (const reply of replies) {
    const token = tokenInReply(reply.text);
    const word = token ? undefined : ackWordIn(reply.text, options.ackWords);
    // A plain word acknowledges only the alert its SMS carried; other text is kept as a reply, no more.
    if (!token && !word) {
      judged.push({ responseId: reply.response_id, groupKey: reply.answered_group, outcome: 'not_an_acknowledgement' });
      continue;
    }
    groups ??= await loadAlertGroups(warehouse);
    const target = token
      ? groups.find((g) => g.ackToken.toUpperCase() === token)
      : groups.find((g) => g.key === reply.answered_group);
    if (!target) {
      judged.push({ responseId: reply.response_id, groupKey: null, outcome: 'no_open_alert' });
      continue;
    }
    if (target.status === 'acknowledged') {
      judged.push({ responseId: reply.response_id, groupKey: target.key, outcome: 'already_acknowledged' });
      continue;
    }
    const result = acknowledge(groups, target.ackToken, `sms:${reply.msisdn}`, now);
    groups = result.groups;
    if (result.acknowledged) changed.set(result.acknowledged.key, result.acknowledged);
    judged.push({ responseId: reply.response_id, groupKey: target.key, outcome: 'acknowledged' });
  }
  if (judged.length === 0) return judged;
  const at = sqlTimestamp(now);
  await warehouse.write(async (tx) => {
    if (changed.size > 0) await saveAlertGroups(tx, [...changed.values()]);
    for (const j of judged)
      await tx.run(
        `INSERT INTO alert_replies (response_id, group_key, outcome, handled_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMP))`,
        [j.responseId, j.groupKey, j.outcome, at],
      );
  });
  return judged;
}

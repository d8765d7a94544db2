// Routing keeps each alert message in alert_messages inside its own transaction; this hands the ones
// the outbox has not seen yet to the channels, under a stable id (`alert-<id>`). A crash between the
// two costs nothing: the next run forwards the rest, and forwarding twice is a no-op. Alerts are exempt
// from marketing caps and quiet hours, and are resent after a sender crash (config channels.sources).
import { type ChannelsConfig, queueMessages } from '../channels/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';

type PendingAlertMessage = {
  id: string;
  channel: string;
  address: string;
  subject: string;
  body: string;
};

export async function forwardAlertMessages(
  warehouse: Warehouse,
  options: { channels: ChannelsConfig; clock: Clock },
): Promise<{ forwarded: number }> {
  const pending = await warehouse.all<PendingAlertMessage>(
    `SELECT CAST(m.id AS VARCHAR) AS id, m.channel, m.address, m.subject, m.body
     FROM alert_messages m
     WHERE NOT EXISTS (SELECT 1 FROM channel_outbox o WHERE o.message_id = 'alert-' || CAST(m.id AS VARCHAR))
     ORDER BY m.id`,
  );
  let forwarded = 0;
  for (const channel of ['sms', 'email'] as const) {
    const batch = pending.filter((m) => m.channel === channel);
    if (batch.length === 0) continue;
    const result = await queueMessages(
      warehouse,
      {
        source: 'alert',
        sourceRef: 'alerts',
        channel,
        messages: batch.map((m) => ({ id: `alert-${m.id}`, recipient: m.address, subject: m.subject, text: m.body })),
      },
      { config: options.channels, clock: options.clock },
    );
    forwarded += result.queued;
  }
  return { forwarded };
}

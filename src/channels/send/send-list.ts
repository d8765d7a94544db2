// `telmark send`: an ad-hoc list queued through the contact policy like every other source.
import { basename } from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { Channel, ChannelsConfig, QueueResult } from '../outbox/outbound-message.ts';
import { queueMessages } from '../outbox/queue-messages.ts';
import { textToHtml } from '../email/smtp-channel.ts';
import { compileTemplate } from './message-template.ts';
import { readContactList } from './read-contact-list.ts';

export interface SendListOptions {
  file: string;
  text: string;
  name?: string;
  channel?: Channel;
  subject?: string;
  config: ChannelsConfig;
  clock: Clock;
}

export async function sendList(warehouse: Warehouse, options: SendListOptions): Promise<QueueResult> {
  const channel = options.channel ?? 'sms';
  const messages = readContactList(options.file, channel, compileTemplate(options.text));
  return queueMessages(
    warehouse,
    {
      source: 'adhoc',
      sourceRef: options.name ?? basename(options.file).replace(/\.csv$/i, ''),
      channel,
      messages:
        channel === 'email'
          ? messages.map((m) => ({
              ...m,
              html: textToHtml(m.text),
              subject: options.subject ?? options.config.email.subject,
            }))
          : messages,
    },
    { config: options.config, clock: options.clock },
  );
}

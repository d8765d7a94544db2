// Outbound channels: the one outbox for every source of messages, the one contact policy, SMS over
// SMPP v3.4 (ESME and a small local SMSC) and e-mail over SMTP. Other domains (stream, campaigns,
// alerts) hand messages in through queueMessages and read outcomes from the outbox.
export {
  type Channel,
  type ChannelsConfig,
  type MessageKind,
  type MessageStatus,
  messageStatuses,
  type OutboundMessage,
  type QueueRequest,
  type QueueResult,
} from './outbox/outbound-message.ts';
export { queueMessages, hashText } from './outbox/queue-messages.ts';
export { dropHeldMessages, type HoldTarget, holdMessages, releaseMessages } from './outbox/hold-messages.ts';
export {
  listOutbox,
  outboxReasons,
  outboxStatus,
  type OutboxFilter,
  type OutboxStatus,
} from './outbox/outbox-report.ts';
export { addOptOuts, importDoNotDisturb } from './policy/contact-lists.ts';
export { inGlobalControlGroup } from './policy/global-control-group.ts';
export { runSender, type SenderOptions, type SenderProgress } from './sender/run-sender.ts';
export { LocalSmsc, type LocalSmscOptions, type SmscLogEntry } from './sms/local-smsc.ts';
export { parseSmppUrl, redactSmppUrl } from './sms/smpp-url.ts';
export { decodeSms, encodeSms } from './sms/sms-encoding.ts';
export { sendList, type SendListOptions } from './send/send-list.ts';
export { type ChannelsStatus, channelsStatus, type OutboxList, setLiveSender } from './outbox/channels-status.ts';
export { readMsisdnList } from './send/read-contact-list.ts';

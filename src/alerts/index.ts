// Alert routing: anomalies to people, grouped, de-duplicated, repeated, silenced, acknowledged, escalated.
export { acknowledge, tokenInReply } from './acknowledge-alert.ts';
export {
  type AlertConfig,
  type AlertRoute,
  defaultAlertConfig,
  type OnCallGroup,
  parseAlertConfig,
  type Receiver,
} from './alert-config.ts';
export type { AlertGroup, AlertMessage, AlertSink, AlertStatus, Silence } from './alert-state.ts';
export {
  addSilence,
  loadAlertConfig,
  loadAlertGroups,
  loadSilences,
  type NewSilence,
  randomAckToken,
  saveAlertConfig,
  saveAlertGroups,
  TableAlertSink,
} from './alert-store.ts';
export { type AlertGroupList, type AlertGroupView, listAlertGroups } from './list-alert-groups.ts';
export { resolve, type RoutingInput, type RoutingOutput, routeAlerts } from './route-alerts.ts';
export { forwardAlertMessages } from './forward-alert-messages.ts';
export { acknowledgeAlert, type AlertRoutingOptions, runAlertRouting } from './run-alert-routing.ts';
export {
  acknowledgeReplies,
  ackWordIn,
  type ReplyJudgement,
  type ReplyOutcome,
} from './acknowledge-replies.ts';
export { type AlertTick, type AlertTimer, type AlertTimerOptions, startAlertTimer } from './alert-timer.ts';

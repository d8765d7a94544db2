// Alert routing as one pure step: (anomalies, state, now) -> (new state, messages to queue). No
// clock, no I/O, so every rule (grouping, de-duplication, repeat, silence, escalation) is tested
// by calling it with a chosen `now`; run-alert-routing.ts does the reading and writing.
import { type Severity, severities, type StoredAnomaly } from '../anomalies/index.ts';
import type { AlertConfig, AlertRoute, Receiver } from './alert-config.ts';
import type { AlertGroup, AlertMessage, Silence } from './alert-state.ts';

export interface RoutingInput {
  anomalies: readonly StoredAnomaly[];
  groups: readonly AlertGroup[];
  silences: readonly Silence[];
  config: AlertConfig;
  now: Date;
  /** A fresh acknowledgement code (random in production, fixed in tests). */
  newToken: () => string;
  /** Base of the acknowledgement link, e.g. https://telmark.example/api/alerts/ack. */
  ackUrl?: string;
}

export interface RoutingOutput {
  groups: AlertGroup[];
  messages: AlertMessage[];
}

const minute = 60_000;

export function routeAlerts(input: RoutingInput): RoutingOutput {
  const now = input.now.toISOString();
  const groups = new Map(input.groups.map((g) => [g.key, { ...g, anomalyIds: [...g.anomalyIds] }]));
  const byId = new Map(input.anomalies.map((a) => [a.id, a]));
  const messages: AlertMessage[] = [];
  const touched = new Set<string>();

  // 1. Each anomaly joins the group of the first route it matches (grouping); one already in its
  //    group changes nothing (de-duplication).
  const arriving = new Map<string, { route: AlertRoute; anomalies: StoredAnomaly[] }>();
  for (const anomaly of input.anomalies) {
    const route = input.config.routes.find((r) => matches(r, anomaly));
    if (!route) continue;
    const key = groupKey(route, anomaly);
    const entry = arriving.get(key) ?? { route, anomalies: [] };
    entry.anomalies.push(anomaly);
    arriving.set(key, entry);
  }
  for (const [key, { route, anomalies }] of arriving) {
    const existing = groups.get(key);
    const fresh = anomalies.filter((a) => !existing?.anomalyIds.includes(a.id));
    if (fresh.length === 0) continue;
    const group: AlertGroup = existing ?? {
      key,
      route: route.name,
      status: 'open',
      severity: 'info',
      anomalyIds: [],
      summary: { zh: '', en: '' },
      firstAt: now,
      lastChangeAt: now,
      lastSentAt: null,
      step: 0,
      stepAt: now,
      ackToken: input.newToken(),
      ackedBy: null,
      ackedAt: null,
      silencedBy: null,
    };
    group.anomalyIds.push(...fresh.map((a) => a.id));
    group.severity = worst([group.severity, ...fresh.map((a) => a.severity)]);
    group.summary = summarise(group.anomalyIds.map((id) => byId.get(id)).filter((a) => a !== undefined));
    group.lastChangeAt = now;
    groups.set(key, group);
    touched.add(key);
    if (group.status === 'open' && !silenceFor(group, input)) {
      messages.push(...send(group, route, input, existing ? 'update' : 'new'));
      group.lastSentAt = now;
    }
  }

  // 2. Silences start and end; escalation and repeats for what is still open.
  for (const group of groups.values()) {
    if (group.status === 'acknowledged') continue;
    const route = input.config.routes.find((r) => r.name === group.route);
    if (!route) continue;
    const silence = silenceFor(group, input);
    if (silence) {
      group.status = 'silenced';
      group.silencedBy = silence.id;
      continue;
    }
    if (group.status === 'silenced') {
      group.status = 'open';
      group.silencedBy = null;
      group.step = 0;
      group.stepAt = now;
      messages.push(...send(group, route, input, 'unsilenced'));
      group.lastSentAt = now;
      continue;
    }
    if (touched.has(group.key) && group.lastSentAt === now) continue;
    const since = (at: string | null) => (at ? input.now.getTime() - Date.parse(at) : Number.POSITIVE_INFINITY);
    if (group.step + 1 < route.steps.length && since(group.stepAt) >= route.escalateAfterMinutes * minute) {
      group.step += 1;
      group.stepAt = now;
      messages.push(...send(group, route, input, 'escalation'));
      group.lastSentAt = now;
    } else if (since(group.lastSentAt) >= route.repeatAfterMinutes * minute) {
      messages.push(...send(group, route, input, 'repeat'));
      group.lastSentAt = now;
    }
  }
  return { groups: [...groups.values()], messages };
}

function matches(route: AlertRoute, a: StoredAnomaly): boolean {
  const m = route.match;
  if (m.kpis && !m.kpis.includes(a.kpi)) return false;
  if (m.kinds && !m.kinds.includes(a.kind)) return false;
  if (m.minSeverity && severities.indexOf(a.severity) < severities.indexOf(m.minSeverity)) return false;
  for (const [k, v] of Object.entries(m.dimensions ?? {})) if (a.dimensions[k] !== v) return false;
  return true;
}

function groupKey(route: AlertRoute, a: StoredAnomaly): string {
  const parts = route.groupBy.map((field) => {
    if (field === 'kpi') return `kpi=${a.kpi}`;
    if (field === 'day') return `day=${a.day}`;
    if (field === 'kind') return `kind=${a.kind}`;
    return `${field}=${a.dimensions[field] ?? '*'}`;
  });
  return [route.name, ...parts].join('|');
}

function silenceFor(group: AlertGroup, input: RoutingInput): Silence | undefined {
  const at = input.now.getTime();
  const members = group.anomalyIds.map((id) => input.anomalies.find((a) => a.id === id)).filter((a) => a !== undefined);
  return input.silences.find((s) => {
    if (Date.parse(s.startsAt) > at || Date.parse(s.endsAt) <= at) return false;
    if (s.matcher.route && s.matcher.route !== group.route) return false;
    if (!s.matcher.series && !s.matcher.kpi && !s.matcher.dimensions) return true;
    // A silence covers a group when it covers every anomaly in it that this run knows of.
    return (
      members.length > 0 &&
      members.every(
        (a) =>
          (!s.matcher.series || s.matcher.series === a.series) &&
          (!s.matcher.kpi || s.matcher.kpi === a.kpi) &&
          Object.entries(s.matcher.dimensions ?? {}).every(([k, v]) => a.dimensions[k] === v),
      )
    );
  });
}

function worst(levels: Severity[]): Severity {
  return levels.reduce((a, b) => (severities.indexOf(b) > severities.indexOf(a) ? b : a), 'info' as Severity);
}

function summarise(anomalies: StoredAnomaly[]): { zh: string; en: string } {
  const ordered = [...anomalies].sort((a, b) => severities.indexOf(b.severity) - severities.indexOf(a.severity));
  const shown = ordered.slice(0, 3);
  const more = ordered.length - shown.length;
  return {
    zh: shown.map((a) => `${a.day} ${a.explanation.zh}`).join('；') + (more > 0 ? `；另有 ${more} 项` : ''),
    en: shown.map((a) => `${a.day} ${a.explanation.en}`).join('; ') + (more > 0 ? `; and ${more} more` : ''),
  };
}

function send(
  group: AlertGroup,
  route: AlertRoute,
  input: RoutingInput,
  reason: AlertMessage['reason'],
): AlertMessage[] {
  const receivers = route.steps[Math.min(group.step, route.steps.length - 1)] ?? [];
  const level = { info: '提示', warning: '警告', critical: '严重' }[group.severity];
  const prefix = reason === 'escalation' ? '[升级] ' : reason === 'repeat' ? '[重复] ' : '';
  const subject = `${prefix}Telmark ${level}/${group.severity}: ${group.summary.en.slice(0, 80)}`;
  const link = input.ackUrl ? `${input.ackUrl}?token=${group.ackToken}` : undefined;
  const smsBody = `${prefix}Telmark ${level}: ${group.summary.zh} 回复 ACK ${group.ackToken} 确认。`;
  const mailBody = [
    `${group.summary.zh}`,
    '',
    `${group.summary.en}`,
    '',
    link
      ? `确认 / acknowledge: ${link}`
      : `回复 ACK ${group.ackToken} 确认 / reply ACK ${group.ackToken} to acknowledge`,
  ].join('\n');
  const out: AlertMessage[] = [];
  for (const receiver of receivers) {
    for (const target of resolve(receiver, input)) {
      out.push(
        target.channel === 'sms'
          ? { groupKey: group.key, channel: 'sms', address: target.address, subject, body: smsBody, reason }
          : { groupKey: group.key, channel: 'email', address: target.address, subject, body: mailBody, reason },
      );
    }
  }
  return out;
}

/** The addresses behind a receiver: an on-call group becomes its member on duty at `now`. */
export function resolve(
  receiver: Receiver,
  input: Pick<RoutingInput, 'config' | 'now'>,
): { channel: 'sms' | 'email'; address: string }[] {
  if (receiver.kind === 'sms') return [{ channel: 'sms', address: receiver.phone }];
  if (receiver.kind === 'email') return [{ channel: 'email', address: receiver.email }];
  const group = input.config.oncall.find((g) => g.name === receiver.group);
  if (!group || group.members.length === 0) return [];
  const shiftMs = group.shiftHours * 3_600_000;
  const shifts = Math.floor((input.now.getTime() - Date.parse(group.rotaStart)) / shiftMs);
  const member = group.members[((shifts % group.members.length) + group.members.length) % group.members.length]!;
  const out: { channel: 'sms' | 'email'; address: string }[] = [];
  if (member.phone) out.push({ channel: 'sms', address: member.phone });
  if (member.email) out.push({ channel: 'email', address: member.email });
  return out;
}

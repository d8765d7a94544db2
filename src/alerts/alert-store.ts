// Alert state in the warehouse: routes and on-call groups (JSON), silences, groups, and the table
// sink that keeps queued messages until the channels' outbox takes them over.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import {
  type AlertConfig,
  type AlertRoute,
  defaultAlertConfig,
  type OnCallGroup,
  parseAlertConfig,
} from './alert-config.ts';
import type { AlertGroup, AlertMessage, AlertSink, AlertStatus, Silence } from './alert-state.ts';

const timestamp = (iso: string) => iso.replace('T', ' ').replace('Z', '');
const iso = (value: string | null) => (value === null ? null : `${value.replace(' ', 'T')}Z`);

export async function loadAlertConfig(warehouse: Warehouse): Promise<AlertConfig> {
  const routes = await warehouse.all<{ spec: string }>('SELECT spec FROM alert_routes ORDER BY position, name');
  const oncall = await warehouse.all<{ spec: string }>('SELECT spec FROM alert_oncall_groups ORDER BY name');
  return {
    routes: routes.length ? routes.map((r) => JSON.parse(r.spec) as AlertRoute) : defaultAlertConfig.routes,
    oncall: oncall.map((g) => JSON.parse(g.spec) as OnCallGroup),
  };
}

export async function saveAlertConfig(warehouse: Warehouse, value: unknown): Promise<void> {
  const { config, problems } = parseAlertConfig(value);
  if (!config)
    throw new AppError('INPUT_INVALID', `alert configuration rejected: ${problems.join('; ')}`, {
      hint: 'see docs/anomalies.md, alert routing',
    });
  await warehouse.transaction(async () => {
    await warehouse.run('DELETE FROM alert_routes');
    await warehouse.run('DELETE FROM alert_oncall_groups');
    for (const [position, route] of config.routes.entries())
      await warehouse.run('INSERT INTO alert_routes (name, position, spec) VALUES (?, ?, ?)', [
        route.name,
        position,
        JSON.stringify(route),
      ]);
    for (const group of config.oncall)
      await warehouse.run('INSERT INTO alert_oncall_groups (name, spec) VALUES (?, ?)', [
        group.name,
        JSON.stringify(group),
      ]);
  });
}

type GroupRow = {
  group_key: string;
  route: string;
  status: string;
  severity: string;
  anomaly_ids: string;
  summary_zh: string;
  summary_en: string;
  first_at: string;
  last_change_at: string;
  last_sent_at: string | null;
  step: number;
  step_at: string | null;
  ack_token: string;
  acked_by: string | null;
  acked_at: string | null;
  silenced_by: number | null;
};

export async function loadAlertGroups(warehouse: Warehouse, status?: AlertStatus): Promise<AlertGroup[]> {
  const rows = await warehouse.all<GroupRow>(
    `SELECT group_key, route, status, severity, anomaly_ids, summary_zh, summary_en,
            CAST(first_at AS VARCHAR) AS first_at, CAST(last_change_at AS VARCHAR) AS last_change_at,
            CAST(last_sent_at AS VARCHAR) AS last_sent_at, step, CAST(step_at AS VARCHAR) AS step_at, ack_token,
            acked_by, CAST(acked_at AS VARCHAR) AS acked_at, silenced_by
     FROM alert_groups ${status ? 'WHERE status = ?' : ''} ORDER BY last_change_at DESC`,
    status ? [status] : [],
  );
  return rows.map((r) => ({
    key: r.group_key,
    route: r.route,
    status: r.status as AlertStatus,
    severity: r.severity as AlertGroup['severity'],
    anomalyIds: JSON.parse(r.anomaly_ids) as number[],
    summary: { zh: r.summary_zh, en: r.summary_en },
    firstAt: iso(r.first_at) as string,
    lastChangeAt: iso(r.last_change_at) as string,
    lastSentAt: iso(r.last_sent_at),
    step: Number(r.step),
    stepAt: iso(r.step_at),
    ackToken: r.ack_token,
    ackedBy: r.acked_by,
    ackedAt: iso(r.acked_at),
    silencedBy: r.silenced_by === null ? null : Number(r.silenced_by),
  }));
}

export async function saveAlertGroups(warehouse: Warehouse, groups: readonly AlertGroup[]): Promise<void> {
  for (const g of groups) {
    await warehouse.run(
      `INSERT OR REPLACE INTO alert_groups (group_key, route, status, severity, anomaly_ids, summary_zh, summary_en,
         first_at, last_change_at, last_sent_at, step, step_at, ack_token, acked_by, acked_at, silenced_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP),
         CAST(? AS TIMESTAMP), ?, CAST(? AS TIMESTAMP), ?, ?, CAST(? AS TIMESTAMP), ?)`,
      [
        g.key,
        g.route,
        g.status,
        g.severity,
        JSON.stringify(g.anomalyIds),
        g.summary.zh,
        g.summary.en,
        timestamp(g.firstAt),
        timestamp(g.lastChangeAt),
        g.lastSentAt && timestamp(g.lastSentAt),
        g.step,
        g.stepAt && timestamp(g.stepAt),
        g.ackToken,
        g.ackedBy,
        g.ackedAt && timestamp(g.ackedAt),
        g.silencedBy,
      ],
    );
  }
}

export async function loadSilences(warehouse: Warehouse): Promise<Silence[]> {
  const rows = await warehouse.all<{
    id: number;
    matcher: string;
    starts_at: string;
    ends_at: string;
    created_by: string;
    comment: string;
  }>(
    `SELECT id, matcher, CAST(starts_at AS VARCHAR) AS starts_at, CAST(ends_at AS VARCHAR) AS ends_at, created_by, comment
     FROM alert_silences ORDER BY ends_at DESC`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    matcher: JSON.parse(r.matcher) as Silence['matcher'],
    startsAt: iso(r.starts_at) as string,
    endsAt: iso(r.ends_at) as string,
    createdBy: r.created_by,
    comment: r.comment,
  }));
}

export interface NewSilence {
  matcher: Silence['matcher'];
  minutes: number;
  createdBy: string;
  comment: string;
}

export async function addSilence(warehouse: Warehouse, silence: NewSilence, clock: Clock): Promise<Silence> {
  if (!(silence.minutes > 0 && silence.minutes <= 60 * 24 * 90))
    throw new AppError('INPUT_INVALID', `a silence lasts 1 minute to 90 days, not ${silence.minutes} minutes`, {
      location: { field: 'minutes' },
    });
  const startsAt = clock.now();
  const endsAt = new Date(startsAt.getTime() + silence.minutes * 60_000);
  const id = await warehouse.scalar(
    `INSERT INTO alert_silences (matcher, starts_at, ends_at, created_by, comment)
     VALUES (?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), ?, ?) RETURNING id`,
    [
      JSON.stringify(silence.matcher),
      timestamp(startsAt.toISOString()),
      timestamp(endsAt.toISOString()),
      silence.createdBy,
      silence.comment,
    ],
  );
  return {
    id,
    matcher: silence.matcher,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
  };
}

/** A random acknowledgement code: six characters without look-alikes (no 0/O, 1/I). */
export function randomAckToken(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Keeps queued messages in alert_messages; forwardAlertMessages hands them to the channels' outbox. */
export class TableAlertSink implements AlertSink {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly clock: Clock,
  ) {}

  async queue(messages: readonly AlertMessage[]): Promise<void> {
    const at = timestamp(this.clock.now().toISOString());
    for (const m of messages)
      await this.warehouse.run(
        `INSERT INTO alert_messages (group_key, queued_at, channel, address, subject, body, reason)
         VALUES (?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?)`,
        [m.groupKey, at, m.channel, m.address, m.subject, m.body, m.reason],
      );
  }
}

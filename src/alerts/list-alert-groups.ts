// What the alerts page lists: the alert groups of one status with their anomalies joined in (never the
// acknowledgement token, which is only for the person the alert was sent to), and the silences with
// whether each is in force now.
import type { StoredAnomaly } from '../anomalies/index.ts';
import { listAnomalies } from '../anomalies/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';
import type { AlertGroup, AlertStatus, Silence } from './alert-state.ts';
import { loadAlertGroups, loadSilences } from './alert-store.ts';

export interface AlertGroupView extends Omit<AlertGroup, 'ackToken'> {
  anomalies: StoredAnomaly[];
}

/** The answer of GET /api/alerts. */
export interface AlertGroupList {
  groups: AlertGroupView[];
  silences: (Silence & { active: boolean })[];
}

export async function listAlertGroups(
  warehouse: Warehouse,
  clock: Clock,
  status?: AlertStatus,
): Promise<AlertGroupList> {
  const groups = await loadAlertGroups(warehouse, status);
  const anomalies = await listAnomalies(warehouse, { ids: [...new Set(groups.flatMap((g) => g.anomalyIds))] });
  const byId = new Map(anomalies.map((a) => [a.id, a]));
  const now = clock.nowMs();
  const silences = await loadSilences(warehouse);
  return {
    groups: groups.map(({ ackToken: _, ...g }) => ({
      ...g,
      anomalies: g.anomalyIds.map((id) => byId.get(id)).filter((a) => a !== undefined),
    })),
    silences: silences.map((s) => ({ ...s, active: Date.parse(s.startsAt) <= now && Date.parse(s.endsAt) > now })),
  };
}

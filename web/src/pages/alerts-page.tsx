// Alerts for the on-call role: open, acknowledged and silenced alert groups with their anomalies,
// acknowledge and silence buttons, and the history of anomalies the detectors found.
import { useState } from 'react';
import type { AlertGroupList } from '../../../src/alerts/index.ts';
import type { AnomalyList } from '../../../src/anomalies/index.ts';
import { ApiError, sendJson, useApi } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { setQuery, useLocation } from '../url-state.ts';

const tabs = [
  { value: 'open', label: { zh: '未处理', en: 'Open' } },
  { value: 'acknowledged', label: { zh: '已确认', en: 'Acknowledged' } },
  { value: 'silenced', label: { zh: '已静默', en: 'Silenced' } },
  { value: 'history', label: { zh: '历史异常', en: 'History' } },
] as const;

const severityLabels: Record<string, Bilingual> = {
  info: { zh: '提示', en: 'info' },
  warning: { zh: '警告', en: 'warning' },
  critical: { zh: '严重', en: 'critical' },
};

const historyColumns: readonly Column[] = [
  { key: 'day', label: { zh: '日期', en: 'Day' } },
  { key: 'severity', label: { zh: '级别', en: 'Severity' } },
  { key: 'kind', label: { zh: '类型', en: 'Kind' } },
  { key: 'observed', label: { zh: '实际', en: 'Observed' } },
  { key: 'expected', label: { zh: '预期', en: 'Expected' } },
  { key: 'explanation', label: { zh: '说明', en: 'Explanation' } },
];

export function AlertsPage() {
  const { pick } = useI18n();
  const { query } = useLocation();
  const tab = tabs.find((t) => t.value === query.get('tab'))?.value ?? 'open';
  // After an action the list is mounted again (a new key), which loads it afresh.
  const [version, setVersion] = useState(0);
  const [actionError, setActionError] = useState<ApiError | undefined>();

  const act = (path: string, body: unknown) => {
    setActionError(undefined);
    // sendJson sends the session's CSRF token, which a bare fetch() did not.
    sendJson('POST', path, body).then(
      () => setVersion((v) => v + 1),
      (error: unknown) => setActionError(error instanceof ApiError ? error : new ApiError('NETWORK', String(error))),
    );
  };

  return (
    <div className="page" data-testid="alerts-page">
      <div className="filter-bar" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.value}
            type="button"
            role="tab"
            aria-selected={t.value === tab}
            className={t.value === tab ? 'button' : 'button ghost'}
            data-testid={`alerts-tab-${t.value}`}
            onClick={() => setQuery({ tab: t.value })}
          >
            {pick(t.label)}
          </button>
        ))}
      </div>
      <StateMessage loading={false} error={actionError} />
      <AlertList key={`${tab}-${version}`} tab={tab} act={act} />
    </div>
  );
}

function AlertList({ tab, act }: { tab: (typeof tabs)[number]['value']; act: (path: string, body: unknown) => void }) {
  const { pick } = useI18n();
  const groups = useApi<AlertGroupList>(tab === 'history' ? null : `/api/alerts?status=${tab}`);
  const history = useApi<AnomalyList>(tab === 'history' ? '/api/anomalies?limit=500' : null);
  return (
    <>
      {tab === 'history' ? (
        <>
          <StateMessage loading={history.loading} error={history.error} />
          {history.data && (
            <DataTable
              title={{ zh: '检测到的异常', en: 'Anomalies found' }}
              columns={historyColumns}
              fileName="anomalies"
              rows={history.data.anomalies.map((a) => ({
                day: a.day,
                severity: pick(severityLabels[a.severity] ?? a.severity),
                kind: a.kind,
                observed: a.observed,
                expected: Math.round(a.expected * 10) / 10,
                explanation: pick(a.explanation),
              }))}
            />
          )}
        </>
      ) : (
        <>
          <StateMessage loading={groups.loading} error={groups.error} />
          {groups.data && groups.data.groups.length === 0 && (
            <div className="message muted" data-testid="alerts-empty">
              {pick({ zh: '没有告警', en: 'No alerts' })}
            </div>
          )}
          {groups.data?.groups.map((g) => (
            <section key={g.key} className="card" data-testid="alert-group">
              <header>
                <strong className={`severity-${g.severity}`}>{pick(severityLabels[g.severity] ?? g.severity)}</strong>{' '}
                <span className="muted">
                  {g.firstAt.slice(0, 16).replace('T', ' ')}
                  {g.ackedBy && ` · ${pick({ zh: '确认人', en: 'acknowledged by' })} ${g.ackedBy}`}
                  {g.step > 0 && ` · ${pick({ zh: '已升级', en: 'escalated' })} ${g.step}`}
                </span>
              </header>
              <ul>
                {g.anomalies.map((a) => (
                  <li key={a.id}>
                    {a.day} {pick(a.explanation)}
                  </li>
                ))}
              </ul>
              {g.status !== 'acknowledged' && (
                <div className="actions">
                  <button
                    type="button"
                    className="button"
                    data-testid="alert-ack"
                    onClick={() => act('/api/alerts/ack', { key: g.key })}
                  >
                    {pick({ zh: '确认', en: 'Acknowledge' })}
                  </button>{' '}
                  {g.status === 'open' && g.anomalies[0] && (
                    <button
                      type="button"
                      className="button ghost"
                      data-testid="alert-silence"
                      onClick={() =>
                        act('/api/alerts/silences', {
                          matcher: { kpi: g.anomalies[0]?.kpi, dimensions: g.anomalies[0]?.dimensions },
                          minutes: 240,
                          comment: 'silenced from the alerts page',
                        })
                      }
                    >
                      {pick({ zh: '静默 4 小时', en: 'Silence 4 h' })}
                    </button>
                  )}
                </div>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}

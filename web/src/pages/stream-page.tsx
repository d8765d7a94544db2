// Live area marketing (the 12580 case): per area who is there now and who called 114 and 12580 in the
// window, apart from the totals since the stream started (triggers, messages, responses); a map of the
// cells; triggered-vs-control uplift per rule in percentage points with its interval; rules edited in a
// form (JSON as the advanced view), paused, and deleted after a confirmation with an undo.
// Refreshes every few seconds while the stream runs in the server (`telmark stream --serve`).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  LiveAreasAnswer,
  MergedLiveAreas,
  RuleEffectView,
  RuleList,
  RuleView,
} from '../../../src/stream/index.ts';
import { ApiError, apiFetch, fetchJson } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { LiveMap } from './live-map.tsx';
import { RuleEditor } from './rule-editor.tsx';
import { readableRule } from './rule-form.ts';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import type { PageProps } from './page-props.ts';

const REFRESH_MS = 3000;

const NEW_RULE = {
  id: 'new-rule',
  where: { geofences: ['station'], on: 'inside' },
  behaviour: { all: [{ event: 'call_out', peer: '114', within: '30m' }], none: [] },
  message: { text: '现在拨打12580查询指定商家业务即可获得相应折扣优惠', variants: {} },
  service: '12580',
};

/** Percentage points with a sign, one decimal: 0.032 → +3.2. */
const points = (share: number) => `${share >= 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(1)}`;

/** Loads a path now and every REFRESH_MS; `version` forces a reload after an edit. */
function usePolling<T>(path: string, version: number): { data?: T; error?: ApiError; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  useEffect(() => {
    void version; // bumping it reloads at once after an edit
    let stopped = false;
    const controller = new AbortController();
    const load = () =>
      fetchJson<T>(path, controller.signal).then(
        (data) => !stopped && setState({ data, loading: false }),
        (error: unknown) =>
          !stopped &&
          setState({
            error: error instanceof ApiError ? error : new ApiError('NETWORK', String(error)),
            loading: false,
          }),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      controller.abort();
    };
  }, [path, version]);
  return state;
}

export function StreamPage(_props: PageProps) {
  const { lang, pick } = useI18n();
  const zh = lang === 'zh';
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const areas = usePolling<LiveAreasAnswer>('/api/stream/areas?window=1800', version);
  const rules = usePolling<RuleList>('/api/stream/rules', version);
  const effect = usePolling<RuleEffectView>('/api/stream/effect?byArea=true', version);
  const areaLabels = effect.data?.areaLabels ?? {};
  const areaName = (id: string) => (areaLabels[id] ? pick(areaLabels[id]) : id);

  const [editing, setEditing] = useState<{ rule: Record<string, unknown>; isNew: boolean } | null>(null);
  const saveRule = useCallback(
    async (rule: Record<string, unknown>): Promise<string | null> => {
      const response = await apiFetch(`/api/stream/rules/${encodeURIComponent(String(rule.id ?? ''))}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
      if (!response.ok) {
        const answer = (await response.json().catch(() => null)) as {
          error?: { code?: string; message?: string };
        } | null;
        const message = answer?.error?.message ?? response.statusText;
        return answer?.error?.code === 'RULE_INVALID' && zh ? `规则无效:${message}` : message;
      }
      setEditing(null);
      reload();
      return null;
    },
    [reload, zh],
  );

  // Delete asks first; a deleted rule can be put back from the undo bar (as a new version).
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<RuleView | null>(null);
  const [actionError, setActionError] = useState('');
  const removeRule = useCallback(
    async (rule: RuleView) => {
      setConfirming(null);
      const response = await apiFetch(`/api/stream/rules/${encodeURIComponent(rule.id)}`, { method: 'DELETE' });
      if (!response.ok) setActionError(zh ? `删除失败(${response.status})` : `Delete failed (${response.status})`);
      else setDeleted(rule);
      reload();
    },
    [reload, zh],
  );
  const undoDelete = useCallback(async () => {
    if (!deleted) return;
    const error = await saveRule({ ...deleted.definition, id: deleted.id, paused: deleted.paused });
    if (error) setActionError(error);
    else setDeleted(null);
  }, [deleted, saveRule]);

  const toggle = useCallback(
    async (rule: RuleView) => {
      await apiFetch(`/api/stream/rules/${encodeURIComponent(rule.id)}/${rule.paused ? 'resume' : 'pause'}`, {
        method: 'POST',
      });
      reload();
    },
    [reload],
  );

  const nowRows = useMemo(
    () =>
      (areas.data?.areas ?? []).map((a) => ({
        name: pick(a.label ?? a.name),
        cells: a.cells,
        present: a.present,
        callers114: a.callers['114'] ?? 0,
        callers12580: a.callers['12580'] ?? 0,
      })),
    [areas.data, pick],
  );
  const totalRows = useMemo(
    () =>
      (areas.data?.areas ?? []).map((a) => ({
        name: pick(a.label ?? a.name),
        triggered: a.triggered,
        control: a.control,
        suppressed: a.suppressed,
        sent: a.sent,
        delivered: a.delivered,
        failed: a.failed,
        responses: a.responses,
        controlResponses: a.controlResponses,
      })),
    [areas.data, pick],
  );
  const effectRows = useMemo(
    () =>
      (effect.data?.effect ?? []).map((e) => ({
        rule_id: e.rule_id,
        area: e.area ? (effect.data?.areaLabels[e.area] ? pick(effect.data.areaLabels[e.area]!) : e.area) : '',
        triggered: e.triggered,
        triggered_rate: e.triggered_rate,
        control: e.control,
        control_rate: e.control_rate,
        uplift_pp: e.uplift === null ? null : Math.round(e.uplift * 1000) / 10,
        interval:
          e.uplift_low === null || e.uplift_high === null ? '–' : `${points(e.uplift_low)} ~ ${points(e.uplift_high)}`,
      })),
    [effect.data, pick],
  );

  const watermark = areas.data?.watermark
    ? new Date(areas.data.watermark).toISOString().replace('T', ' ').slice(0, 19)
    : '';
  const areaChoices = Object.entries(areaLabels).map(([id, label]) => ({ id, label }));
  return (
    <div className="page" data-testid="stream-page">
      {areas.data?.running === false && (
        <p className="note" data-testid="stream-not-running">
          {zh ? '本服务中没有运行的信令流:运行 npm start,或 telmark stream --source … --serve' : areas.data.hint}
        </p>
      )}
      <p className="muted">
        {zh ? '信令事件时间' : 'Event time'} {watermark || '–'} · {zh ? '每 3 秒刷新' : 'refreshed every 3 s'}
      </p>
      {areas.data && 'workers' in areas.data && <WorkersNote merged={areas.data} />}
      <StateMessage loading={areas.loading && !areas.data} error={areas.error} />
      <DataTable
        title={{
          zh: '此刻:当前在区域内的用户,及近 30 分钟内的主叫',
          en: 'Now: present in each area, and callers in the last 30 minutes',
        }}
        fileName="stream-areas-now"
        columns={[
          { key: 'name', label: { zh: '区域', en: 'Area' } },
          { key: 'cells', label: { zh: '小区数', en: 'Cells' } },
          { key: 'present', label: { zh: '当前用户数', en: 'Present now' } },
          { key: 'callers114', label: { zh: '近30分钟主叫114', en: 'Called 114, last 30 min' } },
          { key: 'callers12580', label: { zh: '近30分钟拨打12580', en: 'Called 12580, last 30 min' } },
        ]}
        rows={nowRows}
      />
      <DataTable
        title={{ zh: '累计:自信令流启动以来', en: 'Totals since the stream started' }}
        fileName="stream-areas-totals"
        columns={[
          { key: 'name', label: { zh: '区域', en: 'Area' } },
          { key: 'triggered', label: { zh: '累计触发', en: 'Triggered' } },
          { key: 'control', label: { zh: '累计对照组', en: 'Held out (control)' } },
          { key: 'suppressed', label: { zh: '累计抑制', en: 'Suppressed' } },
          { key: 'sent', label: { zh: '累计已发送', en: 'Sent' } },
          { key: 'delivered', label: { zh: '累计已送达', en: 'Delivered' } },
          { key: 'failed', label: { zh: '累计失败', en: 'Failed' } },
          { key: 'responses', label: { zh: '累计响应', en: 'Responses' } },
          { key: 'controlResponses', label: { zh: '累计对照组响应', en: 'Control responses' } },
        ]}
        rows={totalRows}
      />
      <LiveMap version={version} counts={areas.data?.cells ?? []} watermark={areas.data?.watermark ?? 0} />
      <DataTable
        title={{ zh: '触发效果:触发组与对照组(累计)', en: 'Effect: triggered against control (totals)' }}
        fileName="stream-effect"
        columns={[
          { key: 'rule_id', label: { zh: '规则', en: 'Rule' } },
          { key: 'area', label: { zh: '区域', en: 'Area' } },
          { key: 'triggered', label: { zh: '触发组人数', en: 'Triggered' } },
          { key: 'triggered_rate', label: { zh: '触发组响应率', en: 'Triggered response' }, unit: 'ratio' },
          { key: 'control', label: { zh: '对照组人数', en: 'Control size' } },
          { key: 'control_rate', label: { zh: '对照组响应率', en: 'Control response' }, unit: 'ratio' },
          { key: 'uplift_pp', label: { zh: '提升(百分点)', en: 'Uplift (percentage points)' } },
          { key: 'interval', label: { zh: '95% 置信区间(百分点)', en: '95 % interval (points)' } },
        ]}
        rows={effectRows}
      />
      <p className="muted" data-testid="uplift-note">
        {zh
          ? '提升 = 触发组响应率 − 对照组响应率,单位为百分点;对照组人数少时区间很宽,跨过 0 说明还不能确定有效果。'
          : 'Uplift = triggered response rate − control response rate, in percentage points; with a small control group the interval is wide, and one that spans 0 does not yet show an effect.'}
      </p>
      <h3>{zh ? '触发规则' : 'Trigger rules'}</h3>
      {deleted && (
        <div className="note" data-testid="rule-undo">
          {zh ? `已删除规则 ${deleted.id}。` : `Rule ${deleted.id} deleted. `}
          <button type="button" className="button" data-testid="rule-undo-button" onClick={() => void undoDelete()}>
            {zh ? '撤销' : 'Undo'}
          </button>{' '}
          <button type="button" className="button ghost" onClick={() => setDeleted(null)}>
            {zh ? '关闭' : 'Dismiss'}
          </button>
        </div>
      )}
      {actionError && <p className="message error">{actionError}</p>}
      <ul className="rule-list" data-testid="stream-rules">
        {(rules.data?.rules ?? []).map((rule) => {
          const fences = ((rule.definition.where as { geofences?: string[] } | undefined)?.geofences ?? []).map(
            areaName,
          );
          return (
            <li key={rule.id} data-testid={`rule-${rule.id}`}>
              <code>{rule.id}</code> <span data-testid="rule-version">v{rule.version}</span>{' '}
              {rule.paused ? (zh ? '(已暂停)' : '(paused)') : ''}{' '}
              <span className="muted">{fences.join(zh ? '、' : ', ')}</span>{' '}
              <button type="button" className="button" onClick={() => void toggle(rule)}>
                {rule.paused ? (zh ? '恢复' : 'Resume') : zh ? '暂停' : 'Pause'}
              </button>{' '}
              <button
                type="button"
                className="button"
                data-testid="rule-edit"
                onClick={() => setEditing({ rule: readableRule({ ...rule.definition, id: rule.id }), isNew: false })}
              >
                {zh ? '编辑' : 'Edit'}
              </button>{' '}
              {confirming === rule.id ? (
                <span className="confirm" data-testid="rule-confirm">
                  {zh ? `确定删除规则 ${rule.id}?` : `Delete rule ${rule.id}?`}{' '}
                  <button
                    type="button"
                    className="button danger"
                    data-testid="rule-confirm-delete"
                    onClick={() => void removeRule(rule)}
                  >
                    {zh ? '确定删除' : 'Delete'}
                  </button>{' '}
                  <button type="button" className="button ghost" onClick={() => setConfirming(null)}>
                    {zh ? '取消' : 'Cancel'}
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="button"
                  data-testid="rule-delete"
                  onClick={() => setConfirming(rule.id)}
                >
                  {zh ? '删除' : 'Delete'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {editing ? (
        <RuleEditor
          key={String(editing.rule.id)}
          initial={editing.rule}
          isNew={editing.isNew}
          areas={areaChoices}
          onSave={saveRule}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button
          type="button"
          className="button"
          data-testid="rule-new"
          onClick={() => setEditing({ rule: NEW_RULE, isNew: true })}
        >
          {zh ? '新建规则' : 'New rule'}
        </button>
      )}
    </div>
  );
}

/**
 * With the stream split over several workers the counts are their sum: say over how many, and which
 * ones are left out because their counts stopped coming (never summed silently).
 */
function WorkersNote({ merged }: { merged: MergedLiveAreas }) {
  const { lang, pick } = useI18n();
  const zh = lang === 'zh';
  const stale = merged.workers.filter((w) => w.stale);
  const fresh = merged.workers.length - stale.length;
  return (
    <p className={stale.length > 0 ? 'note' : 'muted'} data-testid="stream-workers">
      {zh ? `以上为 ${fresh} 个处理进程计数之和` : `Counts summed over ${fresh} ${fresh === 1 ? 'worker' : 'workers'}`}
      {merged.partial && ` · ${pick(merged.partial)}${zh ? '：' : ': '}`}
      {stale
        .map((w) =>
          w.ageSec === null
            ? `${w.worker}${zh ? '（从未上报）' : ' (never reported)'}`
            : `${w.worker}${zh ? `（${Math.round(w.ageSec)} 秒前）` : ` (${Math.round(w.ageSec)} s ago)`}`,
        )
        .join(zh ? '、' : ', ')}
    </p>
  );
}

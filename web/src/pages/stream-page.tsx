// Live area marketing (the 12580 case): per area who is there now, callers of 114 and 12580 in the
// window, triggers, messages and responses; a map of the cells drawn from their coordinates (no tiles)
// coloured by activity; triggered-vs-control response per rule; rules paused and resumed in place.
// Refreshes every few seconds while the stream runs in the server (`telmark stream --serve`).
import { ScatterChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, apiFetch, fetchJson } from '../api.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import type { PageProps } from './page-props.ts';

echarts.use([ScatterChart]);

const REFRESH_MS = 3000;

interface AreaRow {
  area: string;
  name: string;
  cells: number;
  present: number;
  callers: Record<string, number>;
  triggered: number;
  control: number;
  suppressed: number;
  messages: number;
  sent: number;
  delivered: number;
  failed: number;
  responses: number;
  controlResponses: number;
}

interface CellRow {
  cellId: string;
  name: string;
  lat: number;
  lon: number;
  present: number;
  callers: Record<string, number>;
}

interface AreasAnswer {
  running: boolean;
  hint?: string;
  watermark: number;
  windowSec: number;
  areas: AreaRow[];
  cells: CellRow[];
}

interface RuleRow {
  id: string;
  version: number;
  paused: boolean;
  definition: Record<string, unknown>;
}

const NEW_RULE = {
  id: 'new-rule',
  where: { geofences: ['station'], on: 'inside' },
  behaviour: { all: [{ event: 'call_out', peer: '114', within: '30m' }], none: [] },
  message: { text: '现在拨打12580查询指定商家业务即可获得相应折扣优惠' },
  service: '12580',
};

interface EffectRow extends Record<string, unknown> {
  rule_id: string;
  area: string;
}

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
  const { lang } = useI18n();
  const zh = lang === 'zh';
  const [version, setVersion] = useState(0);
  const areas = usePolling<AreasAnswer>('/api/stream/areas?window=1800', version);
  const rules = usePolling<{ rules: RuleRow[] }>('/api/stream/rules', version);
  const effect = usePolling<{ effect: EffectRow[] }>('/api/stream/effect?byArea=true', version);

  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState('');
  const saveDraft = useCallback(async () => {
    setDraftError('');
    let body: { id?: unknown };
    try {
      body = JSON.parse(draft) as { id?: unknown };
    } catch (error) {
      setDraftError(String(error));
      return;
    }
    const response = await apiFetch(`/api/stream/rules/${encodeURIComponent(String(body.id ?? ''))}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setDraftError(answer?.error?.message ?? response.statusText);
      return;
    }
    setDraft('');
    setVersion((v) => v + 1);
  }, [draft]);
  const removeRule = useCallback(async (rule: RuleRow) => {
    await apiFetch(`/api/stream/rules/${encodeURIComponent(rule.id)}`, { method: 'DELETE' });
    setVersion((v) => v + 1);
  }, []);

  const toggle = useCallback(async (rule: RuleRow) => {
    await apiFetch(`/api/stream/rules/${encodeURIComponent(rule.id)}/${rule.paused ? 'resume' : 'pause'}`, {
      method: 'POST',
    });
    setVersion((v) => v + 1);
  }, []);

  const areaRows = useMemo(
    () =>
      (areas.data?.areas ?? []).map((a) => ({
        name: a.name,
        present: a.present,
        callers114: a.callers['114'] ?? 0,
        callers12580: a.callers['12580'] ?? 0,
        triggered: a.triggered,
        control: a.control,
        suppressed: a.suppressed,
        sent: a.sent,
        delivered: a.delivered,
        failed: a.failed,
        responses: a.responses,
        controlResponses: a.controlResponses,
      })),
    [areas.data],
  );

  const mapOption = useMemo<ChartOption>(() => {
    const cells = areas.data?.cells ?? [];
    const max = Math.max(1, ...cells.map((c) => c.present));
    return {
      tooltip: {
        formatter: (p: { data: [number, number, number, number, string] }) =>
          `${p.data[4]}<br/>${zh ? '在网' : 'present'} ${p.data[2]}<br/>114/12580 ${p.data[3]}`,
      },
      grid: { left: 50, right: 20, top: 20, bottom: 40 },
      xAxis: { type: 'value', scale: true, name: 'lon', axisLabel: { formatter: (v: number) => v.toFixed(2) } },
      yAxis: { type: 'value', scale: true, name: 'lat', axisLabel: { formatter: (v: number) => v.toFixed(2) } },
      visualMap: {
        min: 0,
        max,
        dimension: 2,
        inRange: { color: ['#cbd5e1', '#f59e0b', '#dc2626'] },
        calculable: true,
        right: 0,
      },
      series: [
        {
          type: 'scatter',
          data: cells.map((c) => [
            c.lon,
            c.lat,
            c.present,
            (c.callers['114'] ?? 0) + (c.callers['12580'] ?? 0),
            c.name,
          ]),
          symbolSize: (d: number[]) => 4 + Math.sqrt(d[2] ?? 0) * 2,
        },
      ],
    };
  }, [areas.data, zh]);

  const watermark = areas.data?.watermark
    ? new Date(areas.data.watermark).toISOString().replace('T', ' ').slice(0, 19)
    : '';
  return (
    <div className="page" data-testid="stream-page">
      <h2>{zh ? '实时区域营销' : 'Live area marketing'}</h2>
      {areas.data?.running === false && (
        <p className="note" data-testid="stream-not-running">
          {zh ? '本服务中没有运行的信令流:运行 npm start,或 telmark stream --source … --serve' : areas.data.hint}
        </p>
      )}
      <p className="muted">
        {zh ? '事件时间' : 'Event time'} {watermark} ·{' '}
        {zh ? '窗口 30 分钟,每 3 秒刷新' : 'window 30 min, refreshed every 3 s'}
      </p>
      <StateMessage loading={areas.loading && !areas.data} error={areas.error} />
      <DataTable
        title={{ zh: '区域实时情况', en: 'Areas now' }}
        fileName="stream-areas"
        columns={[
          { key: 'name', label: { zh: '区域', en: 'Area' } },
          { key: 'present', label: { zh: '当前用户数', en: 'Present' } },
          { key: 'callers114', label: { zh: '主叫114用户数', en: 'Callers of 114' } },
          { key: 'callers12580', label: { zh: '咨询12580用户数', en: 'Callers of 12580' } },
          { key: 'triggered', label: { zh: '触发', en: 'Triggered' } },
          { key: 'control', label: { zh: '对照组', en: 'Control' } },
          { key: 'suppressed', label: { zh: '抑制', en: 'Suppressed' } },
          { key: 'sent', label: { zh: '已发送', en: 'Sent' } },
          { key: 'delivered', label: { zh: '已送达', en: 'Delivered' } },
          { key: 'failed', label: { zh: '失败', en: 'Failed' } },
          { key: 'responses', label: { zh: '响应', en: 'Responses' } },
          { key: 'controlResponses', label: { zh: '对照组响应', en: 'Control responses' } },
        ]}
        rows={areaRows}
      />
      <h3>{zh ? '小区活跃度地图' : 'Cell activity map'}</h3>
      <Chart option={mapOption} height={420} testId="stream-map" />
      <DataTable
        title={{ zh: '触发效果(触发组 vs 对照组)', en: 'Effect: triggered vs control' }}
        fileName="stream-effect"
        columns={[
          { key: 'rule_id', label: { zh: '规则', en: 'Rule' } },
          { key: 'area', label: { zh: '区域', en: 'Area' } },
          { key: 'triggered', label: { zh: '触发数', en: 'Triggered' } },
          { key: 'triggered_rate', label: { zh: '触发组响应率', en: 'Triggered response' }, unit: 'ratio' },
          { key: 'control', label: { zh: '对照数', en: 'Control' } },
          { key: 'control_rate', label: { zh: '对照组响应率', en: 'Control response' }, unit: 'ratio' },
          { key: 'uplift', label: { zh: '提升', en: 'Uplift' }, unit: 'ratio' },
        ]}
        rows={effect.data?.effect ?? []}
      />
      <h3>{zh ? '触发规则' : 'Trigger rules'}</h3>
      <ul className="rule-list" data-testid="stream-rules">
        {(rules.data?.rules ?? []).map((rule) => (
          <li key={rule.id}>
            <code>{rule.id}</code> v{rule.version} {rule.paused ? (zh ? '(已暂停)' : '(paused)') : ''}{' '}
            <button type="button" className="button" onClick={() => void toggle(rule)}>
              {rule.paused ? (zh ? '恢复' : 'Resume') : zh ? '暂停' : 'Pause'}
            </button>{' '}
            <button
              type="button"
              className="button"
              onClick={() => setDraft(JSON.stringify({ ...rule.definition, id: rule.id }, null, 2))}
            >
              {zh ? '编辑' : 'Edit'}
            </button>{' '}
            <button type="button" className="button" onClick={() => void removeRule(rule)}>
              {zh ? '删除' : 'Remove'}
            </button>
          </li>
        ))}
      </ul>
      <div className="rule-editor">
        <button type="button" className="button" onClick={() => setDraft(JSON.stringify(NEW_RULE, null, 2))}>
          {zh ? '新建规则' : 'New rule'}
        </button>
        {draft !== '' && (
          <>
            <textarea
              data-testid="rule-draft"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={16}
              style={{ width: '100%', fontFamily: 'monospace' }}
            />
            <button type="button" className="button" onClick={() => void saveDraft()}>
              {zh ? '保存(立即生效)' : 'Save (applies at once)'}
            </button>{' '}
            <button type="button" className="button" onClick={() => setDraft('')}>
              {zh ? '取消' : 'Cancel'}
            </button>
          </>
        )}
        {draftError && <pre className="error">{draftError}</pre>}
      </div>
    </div>
  );
}

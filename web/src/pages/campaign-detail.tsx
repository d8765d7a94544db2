// One campaign: what it sends to whom, the lifecycle actions, the funnel (sent → delivered →
// responded), the uplift with its 95 % interval as the response window fills, the uplift by county
// and brand, the rules discovered on the pilot, the rounds and the history (who did what, when).
import { useState } from 'react';
import type { CampaignDetail as CampaignAnswer, GroupStats, RoundEvaluation } from '../../../src/campaigns/index.ts';
import { ApiError, sendJson, useApi } from '../api.ts';
import { Chart, type ChartOption, palette } from '../components/chart.tsx';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { useHasRight } from '../session.ts';
import { navigate } from '../url-state.ts';
import { labelOf, resultLabels, roundLabels, segmentLabels, statusLabels } from './campaign-labels.ts';

const actionLabels: Record<string, Bilingual> = {
  approve: { zh: '审批通过', en: 'Approve' },
  pilot: { zh: '启动试点', en: 'Start pilot' },
  evaluate: { zh: '评估', en: 'Evaluate' },
  rollout: { zh: '按规则推广', en: 'Roll out to the rules' },
  close: { zh: '结束并归档', en: 'Close into knowledge base' },
  cancel: { zh: '取消', en: 'Cancel' },
  pause: { zh: '暂停发送', en: 'Pause sending' },
  resume: { zh: '恢复发送', en: 'Resume sending' },
  create: { zh: '创建', en: 'Create' },
  edit: { zh: '修改', en: 'Edit' },
};

const pp = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(2));

export function CampaignDetail({ id }: { id: string }) {
  const { lang, pick } = useI18n();
  const zh = lang === 'zh';
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  // After an action the same paths load again: alternating a bare trailing '?' changes the path only.
  const again = version % 2 === 0 ? '' : '?';
  const detail = useApi<CampaignAnswer>(`/api/campaigns/${encodeURIComponent(id)}${again}`);
  const hasRound = (detail.data?.rounds.length ?? 0) > 0;
  const evaluation = useApi<RoundEvaluation>(
    hasRound ? `/api/campaigns/${encodeURIComponent(id)}/evaluation${again}` : null,
  );
  const act = async (action: string) => {
    setProblem(null);
    try {
      await sendJson('POST', `/api/campaigns/${encodeURIComponent(id)}/${action}`, {});
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
  };
  const c = detail.data?.campaign;
  const e = evaluation.data;
  // Buttons only for users holding the right their route needs (the server checks it again).
  const canWrite = useHasRight('campaigns.write');
  const canApprove = useHasRight('campaigns.approve');
  const running = c !== undefined && ['pilot', 'evaluated', 'rolled_out'].includes(c.status);
  const actions = [
    ...(canApprove ? ['approve'] : []),
    ...(canWrite ? ['pilot', 'evaluate', 'rollout', 'close', 'cancel'] : []),
    ...(canWrite && running ? [c?.paused ? 'resume' : 'pause'] : []),
  ];
  const openPause = detail.data?.pauses.find((p) => p.endedAt === null);
  const storedRules =
    [...(detail.data?.rounds ?? [])].reverse().find((r) => r.rules && r.rules.length > 0)?.rules ?? [];

  return (
    <div className="page" data-testid="campaign-page">
      <p>
        <a
          href="/campaigns"
          onClick={(event) => {
            event.preventDefault();
            navigate('/campaigns');
          }}
        >
          {zh ? '← 全部活动' : '← All campaigns'}
        </a>
      </p>
      <StateMessage loading={detail.loading && !detail.data} error={detail.error} />
      {c && (
        <section>
          <h2 data-testid="campaign-title">
            {c.name} · <span data-testid="campaign-status">{pick(labelOf(statusLabels, c.status))}</span>
            {c.paused && <span data-testid="campaign-paused"> · {zh ? '已暂停' : 'Paused'}</span>}
          </h2>
          {c.paused && (
            <p data-testid="campaign-paused-note">
              {zh
                ? `${c.paused.by} 于 ${c.paused.at} 暂停发送，${openPause?.held ?? 0} 条待发短信暂缓发送；恢复后继续发送。`
                : `Paused by ${c.paused.by} at ${c.paused.at}: ${openPause?.held ?? 0} pending messages held until resumed.`}
            </p>
          )}
          <p>
            {zh ? '推广业务' : 'Service'}: {c.serviceId} · {zh ? '优惠' : 'Offer'}: {c.content.offer || '–'} ·{' '}
            {zh ? '文案' : 'Text'}: {c.content.message.text}
          </p>
          <p>
            {zh ? '制作人' : 'Made by'} {c.createdBy} · {zh ? '审批人' : 'Approved by'} {c.approvedBy ?? '–'}
          </p>
          <div className="filter-bar" data-testid="campaign-actions">
            {actions.map((action) => (
              <button
                key={action}
                type="button"
                className="button"
                onClick={() => act(action)}
                data-testid={`action-${action}`}
              >
                {pick(labelOf(actionLabels, action))}
              </button>
            ))}
          </div>
          {problem && (
            <p className="error" role="alert" data-testid="action-problem">
              {problem}
            </p>
          )}
        </section>
      )}
      <StateMessage loading={evaluation.loading && !evaluation.data} error={evaluation.error} />
      {e && (
        <>
          <section data-testid="campaign-headline">
            <h3>
              {zh
                ? `第${e.round}轮（${pick(labelOf(roundLabels, e.kind))}）`
                : `Round ${e.round} (${pick(labelOf(roundLabels, e.kind))})`}
            </h3>
            <p data-testid="campaign-uplift">
              {zh ? '提升' : 'Uplift'} {pp(e.uplift)} {zh ? '个百分点' : 'pp'}, 95% {zh ? '区间' : 'CI'} [{pp(e.ci_low)}
              , {pp(e.ci_high)}], p = {e.p_value === null ? '–' : e.p_value.toPrecision(2)} ·{' '}
              {zh ? '触达' : 'contacted'} {e.contacted} / {zh ? '对照' : 'control'} {e.control} ·{' '}
              {zh ? '增量订购' : 'incremental orders'} {e.incremental_orders ?? '–'} ·{' '}
              {zh ? '每个增量订购成本' : 'cost per incremental order'}{' '}
              {e.cost_per_incremental_order_yuan === null ? '–' : `¥${e.cost_per_incremental_order_yuan.toFixed(2)}`}
            </p>
          </section>
          <Chart testId="campaign-funnel" height={240} option={funnelOption(e, zh)} />
          <Chart testId="campaign-uplift-over-time" height={280} option={upliftOverTime(e, zh)} />
          <Chart
            testId="campaign-by-county"
            height={280}
            option={breakdownOption(
              e.by_county.map((s) => ({ ...s, label: s.county })),
              zh ? '按县区提升' : 'Uplift by county',
            )}
          />
          <Chart
            testId="campaign-by-brand"
            height={280}
            option={breakdownOption(
              e.by_brand.map((s) => ({ ...s, label: s.brand })),
              zh ? '按品牌提升' : 'Uplift by brand',
            )}
          />
          <DataTable
            title={{ zh: '按年龄段', en: 'By age band' }}
            fileName="campaign-by-segment"
            columns={statsColumns('segment', { zh: '年龄段', en: 'Age band' })}
            rows={e.by_segment.map((s) => ({ ...s, segment: pick(labelOf(segmentLabels, s.segment)) }))}
          />
        </>
      )}
      <DataTable
        title={{ zh: '发现的规则（提升集中的人群）', en: 'Discovered rules (where the campaign caused the response)' }}
        fileName="campaign-rules"
        columns={[
          { key: 'id', label: { zh: '规则', en: 'Rule' } },
          { key: 'text', label: { zh: '条件', en: 'Conditions' } },
          { key: 'share', label: { zh: '占比', en: 'Share' } },
          { key: 'uplift', label: { zh: '留出样本提升(百分点)', en: 'Held-out uplift (pp)' } },
          { key: 'ci', label: { zh: '95%区间', en: '95% CI' } },
        ]}
        rows={storedRules.map((r) => ({
          id: r.id,
          text: pick(r.text),
          share: r.share,
          uplift: r.heldOut.uplift * 100,
          ci: `[${pp(r.heldOut.ciLow * 100)}, ${pp(r.heldOut.ciHigh * 100)}]`,
        }))}
      />
      <DataTable
        title={{ zh: '轮次', en: 'Rounds' }}
        fileName="campaign-rounds"
        columns={[
          { key: 'round', label: { zh: '轮次', en: 'Round' } },
          { key: 'kind', label: { zh: '类型', en: 'Kind' } },
          { key: 'startedAt', label: { zh: '开始时间', en: 'Started' } },
          { key: 'contacted', label: { zh: '触达组', en: 'Contacted' } },
          { key: 'control', label: { zh: '对照组', en: 'Control' } },
          { key: 'queued', label: { zh: '已入队', en: 'Queued' } },
        ]}
        rows={(detail.data?.rounds ?? []).map((r) => ({ ...r, kind: pick(labelOf(roundLabels, r.kind)) }))}
      />
      <DataTable
        title={{ zh: '操作记录', en: 'History' }}
        fileName="campaign-history"
        columns={[
          { key: 'changed_at', label: { zh: '时间', en: 'When' } },
          { key: 'actor', label: { zh: '操作人', en: 'Who' } },
          { key: 'action', label: { zh: '操作', en: 'Action' } },
          { key: 'status', label: { zh: '之后状态', en: 'Status after' } },
          { key: 'note', label: { zh: '说明', en: 'Note' } },
        ]}
        rows={(detail.data?.changes ?? []).map((h) => ({
          ...h,
          action: pick(labelOf(actionLabels, h.action)),
          status: pick(labelOf(statusLabels, h.status)),
        }))}
      />
      {(detail.data?.earlier.length ?? 0) > 0 && (
        <DataTable
          title={{ zh: '同业务的历史活动（最佳在前）', en: 'Earlier campaigns of this service (best first)' }}
          fileName="campaign-earlier"
          columns={[
            { key: 'campaign_id', label: { zh: '活动', en: 'Campaign' } },
            { key: 'name', label: { zh: '名称', en: 'Name' } },
            { key: 'result', label: { zh: '结果', en: 'Result' } },
            { key: 'uplift', label: { zh: '提升(百分点)', en: 'Uplift (pp)' } },
            { key: 'lessons', label: { zh: '经验', en: 'Lessons' } },
          ]}
          rows={(detail.data?.earlier ?? []).map((k) => ({ ...k, result: pick(labelOf(resultLabels, k.result)) }))}
        />
      )}
    </div>
  );
}

function statsColumns(key: string, label: Bilingual) {
  return [
    { key, label },
    { key: 'contacted', label: { zh: '触达组', en: 'Contacted' } },
    { key: 'control', label: { zh: '对照组', en: 'Control' } },
    { key: 'responders_contacted', label: { zh: '触达组响应', en: 'Responders (contacted)' } },
    { key: 'responders_control', label: { zh: '对照组响应', en: 'Responders (control)' } },
    { key: 'uplift', label: { zh: '提升(百分点)', en: 'Uplift (pp)' } },
    { key: 'ci_low', label: { zh: '区间下限', en: 'CI low' } },
    { key: 'ci_high', label: { zh: '区间上限', en: 'CI high' } },
  ];
}

function funnelOption(e: RoundEvaluation, zh: boolean): ChartOption {
  const steps: [string, number][] = [
    [zh ? '计划触达' : 'Assigned', e.funnel.assigned],
    [zh ? '已入队' : 'Queued', e.funnel.queued],
    [zh ? '已发送' : 'Sent', e.funnel.sent],
    [zh ? '已送达' : 'Delivered', e.funnel.delivered],
    [zh ? '已响应' : 'Responded', e.funnel.responded],
  ];
  return {
    title: { text: zh ? '漏斗' : 'Funnel', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 60, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: steps.map((s) => s[0]) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: steps.map((s) => s[1]), itemStyle: { color: palette[0] } }],
  };
}

function upliftOverTime(e: RoundEvaluation, zh: boolean): ChartOption {
  const days = e.by_day.map((d) => (zh ? `第${d.day}天` : `day ${d.day}`));
  return {
    title: { text: zh ? '提升随时间（95%区间）' : 'Uplift over time (95% CI)', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 20 },
    grid: { left: 60, right: 20, top: 60, bottom: 30 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', name: zh ? '百分点' : 'pp' },
    series: [
      {
        name: zh ? '提升' : 'Uplift',
        type: 'line',
        data: e.by_day.map((d) => d.uplift),
        itemStyle: { color: palette[0] },
      },
      {
        name: zh ? '区间下限' : 'CI low',
        type: 'line',
        lineStyle: { type: 'dashed' },
        data: e.by_day.map((d) => d.ci_low),
        itemStyle: { color: palette[7] },
      },
      {
        name: zh ? '区间上限' : 'CI high',
        type: 'line',
        lineStyle: { type: 'dashed' },
        data: e.by_day.map((d) => d.ci_high),
        itemStyle: { color: palette[7] },
      },
    ],
  };
}

function breakdownOption(rows: (GroupStats & { label: string })[], title: string): ChartOption {
  return {
    title: { text: title, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.label) },
    yAxis: { type: 'value', name: 'pp' },
    series: [
      { name: 'uplift', type: 'bar', data: rows.map((r) => r.uplift), itemStyle: { color: palette[1] } },
      { name: 'ci_low', type: 'line', symbol: 'triangle', lineStyle: { opacity: 0 }, data: rows.map((r) => r.ci_low) },
      {
        name: 'ci_high',
        type: 'line',
        symbol: 'triangle',
        lineStyle: { opacity: 0 },
        data: rows.map((r) => r.ci_high),
      },
    ],
  };
}

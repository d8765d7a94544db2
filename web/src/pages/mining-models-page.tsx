// Model report: the fitted models with their held-out AUC beside the baseline fitted in the same run and
// the verdict in words (a model below its baseline is flagged); the best model shown first, with its
// reasons in the page's language (weightiest factors, tree rules, service affinities), ROC curve and
// lift by decile; training from the page for users with `mining.train`; a subscriber's next-best offers.
import { useMemo, useState } from 'react';
import type { SessionAnswer } from '../../../src/api/schemas/access-schemas.ts';
import type { ChurnModelResult, ModelList, ModelReport, OfferList } from '../../../src/mining/telecom/index.ts';
import { ApiError, sendJson, useApi } from '../api.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { type Column, DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { type Bilingual, useI18n } from '../i18n/index.ts';

const kindLabels: Record<string, Bilingual> = {
  gbdt: { zh: '梯度提升树', en: 'boosted trees' },
  tree: { zh: '决策树', en: 'decision tree' },
  forest: { zh: '随机森林', en: 'random forest' },
  logistic: { zh: '逻辑回归', en: 'logistic regression' },
  mlp: { zh: '神经网络', en: 'neural network' },
  'gbdt+rules': { zh: '梯度提升树与关联规则', en: 'boosted trees and association rules' },
};
const kindLabel = (kind: string): Bilingual => kindLabels[kind] ?? { zh: kind, en: kind };

const modelColumns: readonly Column[] = [
  { key: 'purpose', label: { zh: '用途', en: 'Purpose' } },
  { key: 'kind', label: { zh: '算法', en: 'Method' } },
  { key: 'trained_at', label: { zh: '训练时间', en: 'Trained at' } },
  { key: 'rows', label: { zh: '样本数', en: 'Rows' } },
  { key: 'auc', label: { zh: 'AUC(留出集)', en: 'AUC (held out)' } },
  { key: 'baseline_auc', label: { zh: '基线 AUC', en: 'Baseline AUC' } },
  { key: 'verdict', label: { zh: '结论', en: 'Verdict' } },
];

const offerColumns: readonly Column[] = [
  { key: 'offer_rank', label: { zh: '排名', en: 'Rank' } },
  { key: 'service', label: { zh: '业务', en: 'Service' } },
  { key: 'score', label: { zh: '得分', en: 'Score' } },
  { key: 'reason', label: { zh: '理由', en: 'Reason' } },
];

function reportCharts(report: ModelReport, pick: (text: { zh: string; en: string }) => string) {
  const charts: { title: string; option: ChartOption }[] = [];
  const e = report.evaluation;
  if (e?.roc?.length)
    charts.push({
      title: pick({ zh: 'ROC 曲线(留出集)', en: 'ROC curve (held out)' }),
      option: {
        grid: { left: 48, right: 24, top: 16, bottom: 40 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'value', min: 0, max: 1, name: pick({ zh: '误报率', en: 'false positive rate' }) },
        yAxis: { type: 'value', min: 0, max: 1, name: pick({ zh: '命中率', en: 'true positive rate' }) },
        series: [
          { type: 'line', showSymbol: false, data: e.roc.map((p) => [p.falsePositiveRate, p.truePositiveRate]) },
          {
            type: 'line',
            showSymbol: false,
            lineStyle: { type: 'dashed' },
            data: [
              [0, 0],
              [1, 1],
            ],
          },
        ],
      },
    });
  if (e?.gain?.length)
    charts.push({
      title: pick({ zh: '按十分位的提升度', en: 'Lift by decile of score' }),
      option: {
        grid: { left: 48, right: 24, top: 16, bottom: 40 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: e.gain.map((g) => String(g.decile)) },
        yAxis: { type: 'value', name: pick({ zh: '累计提升度', en: 'cumulative lift' }) },
        series: [{ type: 'bar', data: e.gain.map((g) => Math.round(g.lift * 100) / 100) }],
      },
    });
  if (e?.importance?.length) {
    const top = e.importance.slice(0, 12).reverse();
    charts.push({
      title: pick({ zh: '特征重要性', en: 'Feature importance' }),
      option: {
        grid: { left: 180, right: 24, top: 16, bottom: 32 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: top.map((i) => pick(i.label)) },
        series: [{ type: 'bar', data: top.map((i) => Math.round(i.importance * 1000) / 1000) }],
      },
    });
  }
  if (report.affinities?.length) {
    const top = report.affinities.slice(0, 12).reverse();
    charts.push({
      title: pick({ zh: '交叉销售亲和度(优势比)', en: 'Cross-sell affinity (odds ratio)' }),
      option: {
        grid: { left: 140, right: 24, top: 16, bottom: 32 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: top.map((a) => `${pick(a.fromLabel)} → ${pick(a.toLabel)}`) },
        series: [{ type: 'bar', data: top.map((a) => Math.round(a.oddsRatio * 100) / 100) }],
      },
    });
  }
  return charts;
}

export function MiningModelsPage() {
  const { pick } = useI18n();
  const [reload, setReload] = useState(0);
  const { data, error, loading } = useApi<ModelList>(`/api/mining/models?v=${reload}`);
  const session = useApi<SessionAnswer>('/api/session');
  const canTrain = session.data?.rights.includes('mining.train') ?? false;
  const [chosen, setChosen] = useState<string | null>(null);
  // The best model first: a marketer should not land on the weakest one.
  const version = chosen ?? data?.best ?? null;
  const report = useApi<ModelReport>(version ? `/api/mining/models/${encodeURIComponent(version)}` : null);
  const charts = useMemo(() => (report.data ? reportCharts(report.data, pick) : []), [report.data, pick]);
  const [msisdn, setMsisdn] = useState('');
  const offers = useApi<OfferList>(/^\d{11}$/.test(msisdn) ? `/api/mining/offers/${msisdn}` : null);
  const rows = useMemo(
    () =>
      (data?.models ?? []).map((m) => ({
        model_version: m.model_version,
        purpose: `${pick(m.purposeLabel)}${m.model_version === data?.best ? pick({ zh: '(最佳)', en: ' (best)' }) : ''}`,
        kind: pick(kindLabel(m.kind)),
        trained_at: m.trained_at.slice(0, 19),
        rows: m.rows,
        auc: m.auc === null ? null : Math.round(m.auc * 1000) / 1000,
        baseline_auc: m.baseline_auc === null ? null : Math.round(m.baseline_auc * 1000) / 1000,
        verdict: pick(m.verdict),
      })),
    [data, pick],
  );
  const offerRows = (offers.data?.offers ?? []).map((o) => ({
    offer_rank: o.offer_rank,
    service: pick(o.label),
    score: Math.round(o.score * 1000) / 1000,
    reason: pick(o.reasonText),
  }));
  const option = useMemo<ChartOption | null>(() => {
    const models = (data?.models ?? []).filter((m) => m.auc !== null);
    if (models.length === 0) return null;
    return {
      grid: { left: 48, right: 24, top: 32, bottom: 64 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: models.map((m) => `${pick(m.purposeLabel)}\n${pick(kindLabel(m.kind))}`) },
      yAxis: { type: 'value', min: 0.5, max: 1, name: 'AUC' },
      series: [
        { type: 'bar', name: pick({ zh: '模型', en: 'model' }), data: models.map((m) => m.auc) },
        {
          type: 'bar',
          name: pick({ zh: '逻辑回归基线', en: 'logistic baseline' }),
          data: models.map((m) => m.baseline_auc),
        },
      ],
    };
  }, [data, pick]);
  const model = report.data?.model;
  return (
    <div className="page" data-testid="mining-models-page">
      <StateMessage loading={loading && !data} error={error} />
      {data && data.models.length === 0 && (
        <p className="note" data-testid="no-models">
          {canTrain
            ? pick({ zh: '还没有模型:用下方的按钮训练一个。', en: 'No models yet: train one with the button below.' })
            : pick({
                zh: '还没有模型:请有训练权限的同事训练。',
                en: 'No models yet: ask a colleague who may train models.',
              })}
        </p>
      )}
      {canTrain && <TrainPanel onTrained={() => setReload((n) => n + 1)} />}
      {option && (
        <section className="panel">
          <header className="panel-header">
            <h3>{pick({ zh: '留出集 AUC 与基线', en: 'Held-out AUC against the baseline' })}</h3>
          </header>
          <Chart option={option} height={280} />
        </section>
      )}
      {data && data.models.length > 0 && (
        <DataTable
          columns={modelColumns}
          rows={rows}
          fileName="telmark-models"
          onRowClick={(row) => setChosen(String(row.model_version))}
        />
      )}
      {model && (
        <section className="panel" data-testid="model-report">
          <header className="panel-header">
            <h3 data-testid="model-report-title">
              {pick({ zh: '模型报告:', en: 'Model report: ' })}
              {pick(model.purposeLabel)} · {pick(kindLabel(model.kind))}
              {model.model_version === data?.best ? pick({ zh: '(最佳)', en: ' (best)' }) : ''}
            </h3>
            <span className="muted">{pick({ zh: '点击上表中的模型切换', en: 'click a model above to switch' })}</span>
          </header>
          <p
            className={model.beatsBaseline === false ? 'message error' : 'note'}
            data-testid="model-verdict"
            data-beats-baseline={String(model.beatsBaseline)}
          >
            {pick(model.verdict)}
          </p>
          {report.data && report.data.reasons.length > 0 && (
            <>
              <h4>{pick({ zh: '模型依据', en: 'Why the model decides as it does' })}</h4>
              <ul data-testid="model-reasons">
                {report.data.reasons.map((reason) => (
                  <li key={reason.en}>{pick(reason)}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <StateMessage loading={report.loading && !report.data} error={report.error} />
      {charts.map((chart) => (
        <section className="panel" key={chart.title}>
          <header className="panel-header">
            <h3>{chart.title}</h3>
          </header>
          <Chart option={chart.option} height={280} />
        </section>
      ))}
      <div className="filter-bar">
        <label>
          <span>{pick({ zh: '用户号码', en: 'Subscriber number' })}</span>
          <input name="msisdn" value={msisdn} maxLength={11} onChange={(e) => setMsisdn(e.target.value.trim())} />
        </label>
      </div>
      <StateMessage loading={offers.loading} error={offers.error} />
      {offers.data && (
        <DataTable
          title={{ zh: '推荐业务', en: 'Next-best offers' }}
          columns={offerColumns}
          rows={offerRows}
          fileName={`telmark-offers-${msisdn}`}
        />
      )}
    </div>
  );
}

/** Training from the page (right `mining.train`): the churn model with a chosen method, on the server's worker. */
function TrainPanel({ onTrained }: { onTrained: () => void }) {
  const { pick } = useI18n();
  const [method, setMethod] = useState('gbdt');
  const [state, setState] = useState<{ busy: boolean; message?: Bilingual; failed?: boolean }>({ busy: false });
  const train = async () => {
    setState({ busy: true });
    try {
      const result = await sendJson<ChurnModelResult>('POST', '/api/mining/churn', {
        model: method,
      });
      const auc = result.auc.toFixed(3);
      const baseline = result.baselineAuc.toFixed(3);
      setState({
        busy: false,
        failed: !result.written,
        message: result.written
          ? {
              zh: `已训练并保存:AUC ${auc},基线 ${baseline}。`,
              en: `Trained and kept: AUC ${auc}, baseline ${baseline}.`,
            }
          : {
              zh: `已训练,但 AUC ${auc} 不高于基线 ${baseline},未保存评分。`,
              en: `Trained, but AUC ${auc} is not above the baseline's ${baseline}: its scores were not kept.`,
            },
      });
      onTrained();
    } catch (error) {
      setState({
        busy: false,
        failed: true,
        message: {
          zh: `训练失败:${error instanceof ApiError ? error.code : ''}`,
          en: `Training failed: ${String(error)}`,
        },
      });
    }
  };
  return (
    <section className="panel" data-testid="train-panel">
      <header className="panel-header">
        <h3>{pick({ zh: '训练流失预测模型', en: 'Train the churn model' })}</h3>
      </header>
      <div className="filter-bar">
        <label>
          <span>{pick({ zh: '算法', en: 'Method' })}</span>
          <select name="method" value={method} onChange={(e) => setMethod(e.target.value)}>
            {['gbdt', 'forest', 'tree', 'logistic', 'mlp'].map((kind) => (
              <option key={kind} value={kind}>
                {pick(kindLabel(kind))}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          data-testid="train-button"
          disabled={state.busy}
          onClick={() => void train()}
        >
          {state.busy ? pick({ zh: '训练中…', en: 'Training…' }) : pick({ zh: '开始训练', en: 'Train' })}
        </button>
      </div>
      {state.message && (
        <p className={state.failed ? 'message error' : 'note'} data-testid="train-result">
          {pick(state.message)}
        </p>
      )}
    </section>
  );
}

// Model report: the fitted models with their held-out AUC beside the baseline fitted in the same run;
// for the chosen model its ROC curve, lift by decile, feature importance and tree rules (or, for
// cross-sell, the affinities); and a subscriber's next-best offers from the latest cross-sell model.
import { useMemo, useState } from 'react';
import { useApi } from '../api.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { type Column, DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';

interface ModelRow {
  model_version: string;
  purpose: string;
  kind: string;
  trained_at: string;
  rows: number;
  auc: number | null;
  baseline_auc: number | null;
  method: string;
}

const modelColumns: readonly Column[] = [
  { key: 'model_version', label: { zh: '模型版本', en: 'Model version' } },
  { key: 'purpose', label: { zh: '用途', en: 'Purpose' } },
  { key: 'kind', label: { zh: '算法', en: 'Kind' } },
  { key: 'trained_at', label: { zh: '训练时间', en: 'Trained at' } },
  { key: 'rows', label: { zh: '样本数', en: 'Rows' } },
  { key: 'auc', label: { zh: 'AUC', en: 'AUC' } },
  { key: 'baseline_auc', label: { zh: '基线 AUC', en: 'Baseline AUC' } },
  { key: 'method', label: { zh: '评估方式', en: 'Evaluated by' } },
];

const offerColumns: readonly Column[] = [
  { key: 'offer_rank', label: { zh: '排名', en: 'Rank' } },
  { key: 'service_id', label: { zh: '业务', en: 'Service' } },
  { key: 'name', label: { zh: '名称', en: 'Name' } },
  { key: 'score', label: { zh: '得分', en: 'Score' } },
  { key: 'reason', label: { zh: '理由', en: 'Reason' } },
];

interface ModelReport {
  model: ModelRow;
  evaluation: {
    roc?: { falsePositiveRate: number; truePositiveRate: number }[];
    gain?: { decile: number; lift: number; cumulativeGain: number }[];
    importance?: { feature: string; importance: number }[];
    rules?: string[];
  } | null;
  affinities: { from: string; to: string; oddsRatio: number; lift: number }[] | null;
}

function reportCharts(report: ModelReport, pick: (text: { zh: string; en: string }) => string) {
  const charts: { title: string; option: ChartOption }[] = [];
  const e = report.evaluation;
  if (e?.roc?.length)
    charts.push({
      title: pick({ zh: 'ROC 曲线(留出集)', en: 'ROC curve (held out)' }),
      option: {
        grid: { left: 48, right: 24, top: 16, bottom: 40 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'value', min: 0, max: 1, name: 'FPR' },
        yAxis: { type: 'value', min: 0, max: 1, name: 'TPR' },
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
        yAxis: { type: 'category', data: top.map((i) => i.feature) },
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
        yAxis: { type: 'category', data: top.map((a) => `${a.from} → ${a.to}`) },
        series: [{ type: 'bar', data: top.map((a) => Math.round(a.oddsRatio * 100) / 100) }],
      },
    });
  }
  return charts;
}

export function MiningModelsPage() {
  const { pick } = useI18n();
  const { data, error, loading } = useApi<{ models: ModelRow[] }>('/api/mining/models');
  const [chosen, setChosen] = useState<string | null>(null);
  const version = chosen ?? data?.models[0]?.model_version ?? null;
  const report = useApi<ModelReport>(version ? `/api/mining/models/${encodeURIComponent(version)}` : null);
  const charts = useMemo(() => (report.data ? reportCharts(report.data, pick) : []), [report.data, pick]);
  const [msisdn, setMsisdn] = useState('');
  const offers = useApi<{ offers: Record<string, unknown>[] }>(
    /^\d{11}$/.test(msisdn) ? `/api/mining/offers/${msisdn}` : null,
  );
  const option = useMemo<ChartOption | null>(() => {
    const models = (data?.models ?? []).filter((m) => m.auc !== null);
    if (models.length === 0) return null;
    return {
      grid: { left: 48, right: 24, top: 32, bottom: 64 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: models.map((m) => `${m.purpose}\n${m.kind}`) },
      yAxis: { type: 'value', min: 0.5, max: 1, name: 'ROC AUC' },
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
  return (
    <div className="page" data-testid="mining-models-page">
      <StateMessage loading={loading && !data} error={error} />
      {data && data.models.length === 0 && (
        <p className="note">
          {pick({
            zh: '还没有模型:运行 telmark train --warehouse churn 或 cross-sell。',
            en: 'No models yet: run telmark train --warehouse churn or cross-sell.',
          })}
        </p>
      )}
      {option && (
        <section className="panel">
          <header className="panel-header">
            <h3>{pick({ zh: '留出集 AUC 与基线', en: 'Held-out AUC against the baseline' })}</h3>
          </header>
          <Chart option={option} height={280} />
        </section>
      )}
      {data && (
        <DataTable
          columns={modelColumns}
          rows={data.models as unknown as Record<string, unknown>[]}
          fileName="telmark-models"
          onRowClick={(row) => setChosen(String(row.model_version))}
        />
      )}
      {version && (
        <p className="note" data-testid="model-report-title">
          {pick({
            zh: `模型报告:${version}(点击上表中的模型切换)`,
            en: `Model report: ${version} (click a model above to switch)`,
          })}
        </p>
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
      {report.data?.evaluation?.rules && (
        <section className="panel" data-testid="tree-rules">
          <header className="panel-header">
            <h3>{pick({ zh: '决策树规则', en: 'Tree rules' })}</h3>
          </header>
          <ul>
            {report.data.evaluation.rules.map((rule) => (
              <li key={rule}>{rule}</li>
            ))}
          </ul>
        </section>
      )}
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
          rows={offers.data.offers}
          fileName={`telmark-offers-${msisdn}`}
        />
      )}
    </div>
  );
}

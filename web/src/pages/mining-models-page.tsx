// Model report: the fitted models with their held-out AUC beside the baseline fitted in the same run,
// and a subscriber's next-best offers from the latest cross-sell model.
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

export function MiningModelsPage() {
  const { pick } = useI18n();
  const { data, error, loading } = useApi<{ models: ModelRow[] }>('/api/mining/models');
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
        />
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

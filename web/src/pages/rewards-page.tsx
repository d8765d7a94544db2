// Rewards to fulfil (营销奖励兑现): what the trigger rules granted when a subscriber reached the
// counted behaviour after an offer ("5 queries to 12580 → ¥5 credit"), totals per rule and status, and
// the BOSS file (docs/stream.md, "Rewards") to download. Marking rewards exported is done by
// `telmark rewards export` or POST /api/stream/rewards/export, which need the full phone numbers.
import type { RewardsList } from '../../../src/stream/index.ts';
import { useApi } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import type { PageProps } from './page-props.ts';

const statusLabels: Record<string, Bilingual> = {
  pending: { zh: '待兑现', en: 'to fulfil' },
  exported: { zh: '已导出 BOSS', en: 'sent to BOSS' },
  fulfilled: { zh: '已兑现', en: 'fulfilled' },
};
const kindLabels: Record<string, Bilingual> = {
  credit: { zh: '话费', en: 'call credit' },
  gift: { zh: '礼品', en: 'gift' },
};

const rewardColumns = [
  { key: 'reached_at', label: { zh: '达成时间', en: 'Reached' } },
  { key: 'msisdn', label: { zh: '手机号', en: 'Number' } },
  { key: 'rule_id', label: { zh: '触发规则', en: 'Rule' } },
  { key: 'description', label: { zh: '奖励内容', en: 'Reward' } },
  { key: 'kind_label', label: { zh: '类型', en: 'Kind' } },
  { key: 'amount_text', label: { zh: '金额', en: 'Amount' } },
  { key: 'count', label: { zh: '达成次数', en: 'Count reached' }, unit: 'count' },
  { key: 'status_label', label: { zh: '状态', en: 'Status' } },
  { key: 'export_batch', label: { zh: '导出批次', en: 'Export batch' } },
];
const ruleColumns = [
  { key: 'rule_id', label: { zh: '触发规则', en: 'Rule' } },
  { key: 'status_label', label: { zh: '状态', en: 'Status' } },
  { key: 'rewards', label: { zh: '奖励数', en: 'Rewards' }, unit: 'count' },
  { key: 'amount_text', label: { zh: '话费合计', en: 'Credit total' } },
];

/** Money as the operator writes it: ¥ and two decimals. */
const yuan = (value: unknown) => `¥${Number(value ?? 0).toFixed(2)}`;

export function RewardsPage(_props: PageProps) {
  const { t, pick } = useI18n();
  const { data, error, loading } = useApi<RewardsList>('/api/stream/rewards');
  const label = (labels: Record<string, Bilingual>, value: unknown) => {
    const found = labels[String(value)];
    return found ? pick(found) : String(value ?? '');
  };
  const rewards = (data?.rewards ?? []).map((r) => ({
    ...r,
    kind_label: label(kindLabels, r.kind),
    status_label: label(statusLabels, r.status),
    amount_text: yuan(r.amount),
  }));
  const byRule = (data?.byRule ?? []).map((r) => ({
    ...r,
    status_label: label(statusLabels, r.status),
    amount_text: yuan(r.amount_yuan),
  }));
  return (
    <div className="page" data-testid="page-rewards">
      <StateMessage loading={loading && !data} error={error} />
      {data && (
        <div className="results" data-testid="results" data-loading={loading}>
          <p>
            <a className="button" href="/api/stream/rewards/export.csv" download data-testid="rewards-export">
              {t('rewards.export')}
            </a>
          </p>
          {rewards.length === 0 && <p className="note">{t('rewards.empty')}</p>}
          <DataTable
            title={t('rewards.title')}
            columns={ruleColumns}
            rows={byRule}
            fileName="telmark-rewards-by-rule"
          />
          <DataTable columns={rewardColumns} rows={rewards} fileName="telmark-rewards" />
        </div>
      )}
    </div>
  );
}

// Rules explorer: association rules on the warehouse (services held together, or used in the same
// month), with the thresholds kept in the URL, a lift chart of the strongest rules and the full table.
import { useMemo } from 'react';
import type { WarehouseRuleList } from '../../../src/mining/rules/index.ts';
import { useApi } from '../api.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { type Column, DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import { setQuery, useLocation } from '../url-state.ts';

const columns: readonly Column[] = [
  { key: 'lhs', label: { zh: '前项', en: 'If held' } },
  { key: 'rhs', label: { zh: '后项', en: 'Then' } },
  { key: 'support', label: { zh: '支持度', en: 'Support' } },
  { key: 'confidence', label: { zh: '置信度', en: 'Confidence' } },
  { key: 'lift', label: { zh: '提升度', en: 'Lift' } },
  { key: 'leverage', label: { zh: '杠杆', en: 'Leverage' } },
  { key: 'conviction', label: { zh: '确信度', en: 'Conviction' } },
  { key: 'count', label: { zh: '用户数', en: 'Subscribers' } },
];

export function MiningRulesPage() {
  const { pick } = useI18n();
  const { query } = useLocation();
  const source = query.get('source') ?? 'holdings';
  const minSupport = query.get('minSupport') ?? '0.005';
  const minConfidence = query.get('minConfidence') ?? '0.1';
  const params = new URLSearchParams({ source, minSupport, minConfidence, maxLen: '3', limit: '500' });
  const { data, error, loading } = useApi<WarehouseRuleList>(`/api/mining/rules?${params}`);
  const option = useMemo<ChartOption | null>(() => {
    if (!data || data.rules.length === 0) return null;
    const top = data.rules.slice(0, 15).reverse();
    return {
      grid: { left: 160, right: 24, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', name: pick({ zh: '提升度', en: 'lift' }) },
      yAxis: { type: 'category', data: top.map((r) => `${r.lhs} → ${r.rhs}`) },
      series: [{ type: 'bar', data: top.map((r) => Math.round(r.lift * 100) / 100) }],
    };
  }, [data, pick]);
  return (
    <div className="page" data-testid="mining-rules-page">
      <div className="filter-bar">
        <label>
          <span>{pick({ zh: '购物篮', en: 'Baskets' })}</span>
          <select name="source" value={source} onChange={(e) => setQuery({ source: e.target.value })}>
            <option value="holdings">{pick({ zh: '同时持有的业务', en: 'services held together' })}</option>
            <option value="monthly-usage">
              {pick({ zh: '同月使用的业务', en: 'services used in the same month' })}
            </option>
          </select>
        </label>
        <label>
          <span>{pick({ zh: '最小支持度', en: 'Min support' })}</span>
          <input
            type="number"
            name="minSupport"
            step="0.001"
            min="0.001"
            max="1"
            value={minSupport}
            onChange={(e) => setQuery({ minSupport: e.target.value }, { replace: true })}
          />
        </label>
        <label>
          <span>{pick({ zh: '最小置信度', en: 'Min confidence' })}</span>
          <input
            type="number"
            name="minConfidence"
            step="0.05"
            min="0"
            max="1"
            value={minConfidence}
            onChange={(e) => setQuery({ minConfidence: e.target.value }, { replace: true })}
          />
        </label>
      </div>
      <StateMessage loading={loading && !data} error={error} />
      {data && (
        <p className="note" data-testid="rules-summary">
          {pick({
            zh: `${data.baskets} 个购物篮,${data.items} 项,${data.itemsets} 个频繁项集,${data.ruleCount} 条规则`,
            en: `${data.baskets} baskets, ${data.items} items, ${data.itemsets} frequent itemsets, ${data.ruleCount} rules`,
          })}
        </p>
      )}
      {option && (
        <section className="panel">
          <header className="panel-header">
            <h3>{pick({ zh: '提升度最高的规则', en: 'Rules with the highest lift' })}</h3>
          </header>
          <Chart option={option} height={Math.max(220, 24 * Math.min(15, data?.rules.length ?? 0))} />
        </section>
      )}
      {data && <DataTable columns={columns} rows={data.rules} fileName="telmark-rules" />}
    </div>
  );
}

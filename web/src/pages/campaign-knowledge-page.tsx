// The campaign knowledge base: closed campaigns with their audience, rules, offer, text, channel,
// timing, groups, uplift with interval, cost per incremental order and lessons, searchable by
// service, segment, county, channel, season and result.
import { useState } from 'react';
import type { KnowledgeList } from '../../../src/campaigns/index.ts';
import { useApi } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import { navigate } from '../url-state.ts';
import { labelOf, resultLabels, seasonLabels } from './campaign-labels.ts';
import type { PageProps } from './page-props.ts';

const fields = ['service', 'segment', 'county', 'text'] as const;

export function CampaignKnowledgePage(_props: PageProps) {
  const { lang, pick } = useI18n();
  const zh = lang === 'zh';
  const [filters, setFilters] = useState<Record<string, string>>({});
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
  const entries = useApi<KnowledgeList>(`/api/campaign-knowledge?${query}`);
  const placeholder: Record<(typeof fields)[number], string> = {
    service: zh ? '业务，如 crbt' : 'service, e.g. crbt',
    segment: zh ? '人群，如 mzone' : 'segment, e.g. mzone',
    county: zh ? '县区，如 源城' : 'county, e.g. 源城',
    text: zh ? '关键词' : 'words',
  };
  const set = (key: string, value: string) => setFilters((f) => ({ ...f, [key]: value }));
  return (
    <div className="page" data-testid="campaign-knowledge-page">
      <div className="filter-bar">
        {fields.map((f) => (
          <input
            key={f}
            value={filters[f] ?? ''}
            placeholder={placeholder[f]}
            onChange={(e) => set(f, e.target.value)}
            data-testid={`knowledge-${f}`}
          />
        ))}
        <select
          value={filters.season ?? ''}
          onChange={(e) => set('season', e.target.value)}
          data-testid="knowledge-season"
        >
          <option value="">{zh ? '全部季节' : 'any season'}</option>
          {Object.entries(seasonLabels).map(([k, v]) => (
            <option key={k} value={k}>
              {pick(v)}
            </option>
          ))}
        </select>
        <select
          value={filters.result ?? ''}
          onChange={(e) => set('result', e.target.value)}
          data-testid="knowledge-result"
        >
          <option value="">{zh ? '全部结果' : 'any result'}</option>
          {Object.entries(resultLabels).map(([k, v]) => (
            <option key={k} value={k}>
              {pick(v)}
            </option>
          ))}
        </select>
        <select
          value={filters.channel ?? ''}
          onChange={(e) => set('channel', e.target.value)}
          data-testid="knowledge-channel"
        >
          <option value="">{zh ? '全部渠道' : 'any channel'}</option>
          <option value="sms">{zh ? '短信' : 'SMS'}</option>
          <option value="email">{zh ? '邮件' : 'E-mail'}</option>
        </select>
      </div>
      <StateMessage loading={entries.loading && !entries.data} error={entries.error} />
      <DataTable
        title={{ zh: '活动知识库', en: 'Campaign knowledge base' }}
        fileName="campaign-knowledge"
        columns={[
          { key: 'campaign_id', label: { zh: '活动', en: 'Campaign' } },
          { key: 'name', label: { zh: '名称', en: 'Name' } },
          { key: 'service', label: { zh: '业务', en: 'Service' } },
          { key: 'channel', label: { zh: '渠道', en: 'Channel' } },
          { key: 'season', label: { zh: '季节', en: 'Season' } },
          { key: 'segments', label: { zh: '人群与规则', en: 'Segments and rules' } },
          { key: 'counties', label: { zh: '县区', en: 'Counties' } },
          { key: 'result', label: { zh: '结果', en: 'Result' } },
          { key: 'contacted', label: { zh: '触达', en: 'Contacted' } },
          { key: 'control', label: { zh: '对照', en: 'Control' } },
          { key: 'uplift', label: { zh: '提升(百分点)', en: 'Uplift (pp)' } },
          { key: 'ci', label: { zh: '95%区间', en: '95% CI' } },
          { key: 'cost', label: { zh: '每个增量订购成本', en: 'Cost per incremental order' } },
          { key: 'lessons', label: { zh: '经验', en: 'Lessons' } },
        ]}
        rows={(entries.data?.entries ?? []).map((e) => ({
          ...e,
          service: e.service_id,
          season: pick(labelOf(seasonLabels, e.season)),
          result: pick(labelOf(resultLabels, e.result)),
          counties: e.counties === 'all' ? (zh ? '全部' : 'all') : e.counties,
          ci: e.ci_low === null || e.ci_high === null ? '–' : `[${e.ci_low.toFixed(2)}, ${e.ci_high.toFixed(2)}]`,
          cost: e.cost_per_incremental_yuan === null ? '–' : `¥${e.cost_per_incremental_yuan.toFixed(2)}`,
        }))}
        onRowClick={(row) => navigate(`/campaigns?id=${encodeURIComponent(String(row.campaign_id))}`)}
      />
    </div>
  );
}

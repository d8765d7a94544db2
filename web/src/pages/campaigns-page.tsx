// Campaigns: the list with status, service and latest uplift, and a calendar of the month showing
// which campaign runs on which day (schedule start to end, or to today while it is open). A click on a
// campaign opens its page (?id=…) with the funnel, the uplift over time, breakdowns and rules.
import { useMemo } from 'react';
import type { CampaignSummary, CampaignSummaryList } from '../../../src/campaigns/index.ts';
import { useApi } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import { navigate, setQuery, useLocation } from '../url-state.ts';
import { CampaignDetail } from './campaign-detail.tsx';
import { labelOf, statusLabels } from './campaign-labels.ts';
import type { PageProps } from './page-props.ts';

export function CampaignsPage(_props: PageProps) {
  const { query } = useLocation();
  const id = query.get('id');
  if (id) return <CampaignDetail id={id} />;
  return <CampaignList month={query.get('month') ?? new Date().toISOString().slice(0, 7)} />;
}

function CampaignList({ month }: { month: string }) {
  const { lang, pick } = useI18n();
  const zh = lang === 'zh';
  const list = useApi<CampaignSummaryList>('/api/campaigns');
  const campaigns = list.data?.campaigns ?? [];
  const rows = campaigns.map((c) => {
    const last = c.rounds.at(-1);
    return {
      id: c.id,
      name: c.name,
      status: `${pick(labelOf(statusLabels, c.status))}${c.paused ? (zh ? '（已暂停）' : ' (paused)') : ''}`,
      service: c.serviceId,
      channel: c.channel,
      start: c.content.schedule.start,
      end: c.content.schedule.end ?? '',
      rounds: c.rounds.length,
      contacted: c.rounds.reduce((s, r) => s + r.contacted, 0),
      uplift: last?.uplift ?? null,
      made_by: c.createdBy,
      approved_by: c.approvedBy ?? '',
    };
  });
  return (
    <div className="page" data-testid="campaigns-page">
      <StateMessage loading={list.loading && !list.data} error={list.error} />
      <DataTable
        title={{ zh: '营销活动', en: 'Campaigns' }}
        fileName="campaigns"
        columns={[
          { key: 'id', label: { zh: '编号', en: 'ID' } },
          { key: 'name', label: { zh: '名称', en: 'Name' } },
          { key: 'status', label: { zh: '状态', en: 'Status' } },
          { key: 'service', label: { zh: '推广业务', en: 'Service' } },
          { key: 'channel', label: { zh: '渠道', en: 'Channel' } },
          { key: 'start', label: { zh: '开始', en: 'Start' } },
          { key: 'end', label: { zh: '结束', en: 'End' } },
          { key: 'rounds', label: { zh: '轮次', en: 'Rounds' } },
          { key: 'contacted', label: { zh: '已触达', en: 'Contacted' } },
          { key: 'uplift', label: { zh: '最新提升(百分点)', en: 'Latest uplift (pp)' } },
          { key: 'made_by', label: { zh: '制作人', en: 'Made by' } },
          { key: 'approved_by', label: { zh: '审批人', en: 'Approved by' } },
        ]}
        rows={rows}
        onRowClick={(row) => navigate(`/campaigns?id=${encodeURIComponent(String(row.id))}`)}
      />
      <CampaignCalendar month={month} campaigns={campaigns} zh={zh} />
    </div>
  );
}

function CampaignCalendar({ month, campaigns, zh }: { month: string; campaigns: CampaignSummary[]; zh: boolean }) {
  const days = useMemo(() => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  }, [month]);
  const today = new Date().toISOString().slice(0, 10);
  const runsOn = (c: CampaignSummary, day: string) => {
    const start = c.content.schedule.start;
    const open = !['closed', 'cancelled'].includes(c.status);
    const end =
      c.content.schedule.end ?? (open ? [today, start].sort()[1]! : (c.rounds.at(-1)?.startedAt.slice(0, 10) ?? start));
    return day >= start && day <= end;
  };
  const shift = (delta: number) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const d = new Date(Date.UTC(y, m - 1 + delta, 1));
    setQuery({ month: d.toISOString().slice(0, 7) });
  };
  return (
    <section data-testid="campaign-calendar">
      <h3>
        <button
          type="button"
          className="button"
          onClick={() => shift(-1)}
          aria-label={zh ? '上个月' : 'previous month'}
        >
          ‹
        </button>{' '}
        {zh ? `活动日历 ${month}` : `Calendar ${month}`}{' '}
        <button type="button" className="button" onClick={() => shift(1)} aria-label={zh ? '下个月' : 'next month'}>
          ›
        </button>
      </h3>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 4 }}>
        {days.map((day) => (
          <div key={day} style={{ border: '1px solid #e2e8f0', minHeight: 56, padding: 4, fontSize: 12 }}>
            <div style={{ color: '#64748b' }}>{Number(day.slice(8))}</div>
            {campaigns
              .filter((c) => runsOn(c, day))
              .map((c) => (
                <a
                  key={c.id}
                  href={`/campaigns?id=${c.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/campaigns?id=${c.id}`);
                  }}
                  style={{
                    display: 'block',
                    background: '#dbeafe',
                    borderRadius: 3,
                    margin: '2px 0',
                    padding: '0 3px',
                  }}
                >
                  {c.name}
                </a>
              ))}
          </div>
        ))}
      </div>
    </section>
  );
}

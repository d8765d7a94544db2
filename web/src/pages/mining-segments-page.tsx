// Segment profiles: k-means segments of the subscribers (k chosen by silhouette unless given), each named
// from its profile in the page's language (年轻动感地带高流量 …), its size, and the traits that set it
// apart told with labels and units; the silhouette of every k tried.
import { useMemo } from 'react';
import type { SubscriberSegments } from '../../../src/mining/telecom/index.ts';
import { useApi } from '../api.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { type Column, DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import { setQuery, useLocation } from '../url-state.ts';

const columns: readonly Column[] = [
  { key: 'name', label: { zh: '细分', en: 'Segment' } },
  { key: 'size', label: { zh: '用户数', en: 'Subscribers' } },
  { key: 'share', label: { zh: '占比', en: 'Share' }, unit: 'ratio' },
  { key: 'profile', label: { zh: '与全体相比的特征', en: 'What sets it apart from everyone' } },
];

export function MiningSegmentsPage() {
  const { pick } = useI18n();
  const { query } = useLocation();
  const k = query.get('k') ?? '';
  const { data, error, loading } = useApi<SubscriberSegments>(
    `/api/mining/segments${k ? `?k=${encodeURIComponent(k)}` : ''}`,
  );
  const sizes = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: data.segments.map((s) => ({ name: pick(s.name), value: s.size })),
        },
      ],
    };
  }, [data, pick]);
  const rows = useMemo(
    () =>
      (data?.segments ?? []).map((s) => ({
        name: pick(s.name),
        size: s.size,
        share: s.share,
        profile: s.profile.map((p) => pick(p)).join(pick({ zh: ';', en: '; ' })),
      })),
    [data, pick],
  );
  const silhouette = useMemo<ChartOption | null>(() => {
    if (!data || data.candidates.length === 0) return null;
    return {
      grid: { left: 48, right: 24, top: 24, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: data.candidates.map((c) => pick({ zh: `${c.k} 个细分`, en: `${c.k} segments` })),
      },
      yAxis: { type: 'value', name: pick({ zh: '轮廓系数', en: 'silhouette' }) },
      series: [{ type: 'line', data: data.candidates.map((c) => Math.round(c.silhouette * 1000) / 1000) }],
    };
  }, [data, pick]);
  return (
    <div className="page" data-testid="mining-segments-page">
      <div className="filter-bar">
        <label>
          <span>{pick({ zh: '细分数 k', en: 'Segments k' })}</span>
          <select name="k" value={k} onChange={(e) => setQuery({ k: e.target.value })}>
            <option value="">{pick({ zh: '自动(轮廓系数)', en: 'automatic (silhouette)' })}</option>
            {[2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <StateMessage loading={loading && !data} error={error} />
      {data && (
        <p className="note">
          {pick({
            zh: `${data.rows} 个用户分为 ${data.k} 个细分,依据:${data.featureLabels.map((f) => f.zh).join('、')}`,
            en: `${data.rows} subscribers in ${data.k} segments, on ${data.featureLabels.map((f) => f.en).join(', ')}`,
          })}
        </p>
      )}
      {sizes && (
        <section className="panel">
          <header className="panel-header">
            <h3>{pick({ zh: '细分规模', en: 'Segment sizes' })}</h3>
          </header>
          <Chart option={sizes} height={260} />
        </section>
      )}
      {data && <DataTable columns={columns} rows={rows} fileName="telmark-segments" />}
      {silhouette && (
        <section className="panel">
          <header className="panel-header">
            <h3>{pick({ zh: '各 k 的轮廓系数', en: 'Silhouette of each k tried' })}</h3>
          </header>
          <Chart option={silhouette} height={220} />
        </section>
      )}
    </div>
  );
}

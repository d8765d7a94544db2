// The offline area view (区域数据呈现): choose an area (a stored geofence, or an area type and county
// from the filters), a period and the fields to show; every choice is kept in the URL. The sections are
// drawn by the analysis page's SectionView.
import type { AnalysisResult } from '../../../src/analysis/analysis-result.ts';
import type { GeofenceList } from '../../../src/stream/index.ts';
import { useApi } from '../api.ts';
import { FilterBar, filterQuery, useFilters } from '../components/filter-bar.tsx';
import { Headlines } from '../components/headlines.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { setQuery, useLocation } from '../url-state.ts';
import { SectionView } from './analysis-page.tsx';
import type { PageProps } from './page-props.ts';

const fields: readonly { key: string; label: MessageKey }[] = [
  { key: 'present', label: 'area.field.present' },
  { key: 'brands', label: 'area.field.brands' },
  { key: 'callers', label: 'area.field.callers' },
];

export function AreaViewPage(_props: PageProps) {
  const { t } = useI18n();
  const filters = useFilters('day');
  const { query } = useLocation();
  const geofence = query.get('geofence') ?? undefined;
  const chosen = (query.get('fields') ?? '').split(',').filter((f) => f !== '');
  const shown = chosen.length ? chosen : fields.map((f) => f.key);
  // Only roles that may see the stream list its geofences; others pick an area type.
  const fences = useApi<GeofenceList>('/api/stream/geofences').data?.geofences ?? [];
  const path = `/api/analysis/area-view?${filterQuery(filters, { geofence, fields: chosen.join(',') || undefined })}`;
  const { data, error, loading } = useApi<AnalysisResult>(path);
  const toggle = (key: string) => {
    const next = shown.includes(key) ? shown.filter((f) => f !== key) : [...shown, key];
    setQuery({ fields: next.length === fields.length || next.length === 0 ? undefined : next.join(',') });
  };
  return (
    <div className="page" data-testid="page-area-view">
      <FilterBar dims={['county', 'area_type', 'brand']} grain={false} />
      <div className="filter-bar" data-testid="area-controls">
        <label>
          <span>{t('area.geofence')}</span>
          <select name="geofence" value={geofence ?? ''} onChange={(e) => setQuery({ geofence: e.target.value })}>
            <option value="">{t('area.noGeofence')}</option>
            {fences.map((f) => (
              <option key={f.definition.id} value={f.definition.id}>
                {f.definition.name ?? f.definition.id}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field-choice">
          <legend>{t('area.fields')}</legend>
          {fields.map((f) => (
            <label key={f.key}>
              <input
                type="checkbox"
                name={`field-${f.key}`}
                checked={shown.includes(f.key)}
                onChange={() => toggle(f.key)}
              />
              <span>{t(f.label)}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <StateMessage loading={loading && !data} error={error} />
      {data && (
        <div className={loading ? 'results stale' : 'results'} data-testid="results" data-loading={loading}>
          {data.headlines && <Headlines items={data.headlines} />}
          {data.sections.map((section) => (
            <SectionView key={section.id} section={section} kind="area-view" />
          ))}
        </div>
      )}
    </div>
  );
}

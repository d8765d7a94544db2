// Date range, time grain and dimension filters. All state lives in the URL query (from, to, grain,
// and one key per dimension), so every view can be bookmarked; pages read it with useFilters().
import type {
  DimensionCatalogueAnswer,
  DimensionInfoAnswer,
  DimensionValueAnswer,
} from '../../../src/api/schemas/dimension-schemas.ts';
import { useApi } from '../api.ts';
import { useI18n } from '../i18n/index.ts';
import { setQuery, useLocation } from '../url-state.ts';

// One definition with the route's schema (src/api/schemas): the page cannot expect a field the API lost.
export type DimensionValue = DimensionValueAnswer;
export type DimensionInfo = DimensionInfoAnswer;

export type FilterKey =
  | 'region'
  | 'county'
  | 'brand'
  | 'service'
  | 'service_category'
  | 'channel'
  | 'plan'
  | 'area_type'
  | 'access_code'
  | 'menu';
export const filterKeys: readonly FilterKey[] = [
  'region',
  'county',
  'brand',
  'service',
  'service_category',
  'channel',
  'plan',
  'area_type',
  'access_code',
  'menu',
];

export interface Filters {
  from?: string;
  to?: string;
  grain: 'day' | 'week' | 'month';
  cutover?: string;
  dims: Partial<Record<FilterKey, string>>;
}

export function useFilters(defaultGrain: Filters['grain'] = 'day'): Filters {
  const { query } = useLocation();
  const grain = query.get('grain');
  const dims: Partial<Record<FilterKey, string>> = {};
  for (const key of filterKeys) {
    const value = query.get(key);
    if (value) dims[key] = value;
  }
  return {
    from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined,
    grain: grain === 'day' || grain === 'week' || grain === 'month' ? grain : defaultGrain,
    cutover: query.get('cutover') ?? undefined,
    dims,
  };
}

/** The filters as an API query string (without the leading '?'). */
export function filterQuery(filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  params.set('grain', filters.grain);
  if (filters.cutover) params.set('cutover', filters.cutover);
  for (const [key, value] of Object.entries(filters.dims)) if (value) params.set(key, value);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

export function useDimensionCatalogue() {
  return useApi<DimensionCatalogueAnswer>('/api/dimensions');
}

export interface FilterBarProps {
  dims?: readonly FilterKey[];
  grain?: boolean;
  cutover?: boolean;
  /** The page's grain when the URL names none (the select must not say 日 while weeks are drawn). */
  defaultGrain?: Filters['grain'];
  /** The grain the answer on screen was drawn at, once it has come: shown in the select. */
  grainDrawn?: Filters['grain'];
  /** The comparison date the answer used, also when the server chose it. */
  cutoverUsed?: string;
}

export function FilterBar({
  dims = ['region', 'county', 'brand'],
  grain = true,
  cutover = false,
  defaultGrain = 'day',
  grainDrawn,
  cutoverUsed,
}: FilterBarProps) {
  const { t, pick } = useI18n();
  const filters = useFilters(defaultGrain);
  const catalogue = useDimensionCatalogue().data;
  const byName = new Map(catalogue?.dimensions.map((d) => [d.name, d]) ?? []);
  const min = catalogue?.firstDay ?? undefined;
  const max = catalogue?.lastDay ?? undefined;
  // The server's default period ends at the last complete day (every daily feed loaded); later days
  // (the demo campaigns' order files, a late feed) can be chosen and are then named as incomplete.
  const to = filters.to ?? catalogue?.lastCompleteDay ?? max;
  const from = filters.from ?? min;
  const incomplete = (catalogue?.incompleteDays ?? []).filter((d) => (!from || d >= from) && (!to || d <= to));

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <label>
        <span>{t('filter.from')}</span>
        <input
          type="date"
          name="from"
          value={filters.from ?? min ?? ''}
          min={min}
          max={max}
          onChange={(e) => setQuery({ from: e.target.value })}
        />
      </label>
      <label>
        <span>{t('filter.to')}</span>
        <input
          type="date"
          name="to"
          value={to ?? ''}
          min={min}
          max={max}
          title={t('filter.toDefault')}
          onChange={(e) => setQuery({ to: e.target.value })}
        />
      </label>
      {incomplete.length > 0 && (
        <span className="filter-note" data-testid="incomplete-days" title={incomplete.join(', ')}>
          {t('filter.incompleteDays')} {incomplete[0]}
          {incomplete.length > 1 ? ` – ${incomplete.at(-1)}` : ''}
        </span>
      )}
      {grain && (
        <label>
          <span>{t('filter.grain')}</span>
          <select
            name="grain"
            value={grainDrawn ?? filters.grain}
            onChange={(e) => setQuery({ grain: e.target.value })}
          >
            <option value="day">{t('grain.day')}</option>
            <option value="week">{t('grain.week')}</option>
            <option value="month">{t('grain.month')}</option>
          </select>
        </label>
      )}
      {cutover && (
        <label>
          <span>{t('filter.cutover')}</span>
          <input
            type="date"
            name="cutover"
            value={filters.cutover ?? cutoverUsed ?? ''}
            min={min}
            max={max}
            title={t('filter.cutoverDefault')}
            onChange={(e) => setQuery({ cutover: e.target.value })}
          />
        </label>
      )}
      {dims.map((name) => {
        const info = byName.get(name);
        const values =
          name === 'county' && filters.dims.region
            ? (info?.values ?? []).filter((v) => !v.parent || v.parent === filters.dims.region)
            : (info?.values ?? []);
        return (
          <label key={name}>
            <span>{info ? pick(info.label) : name}</span>
            <select
              name={name}
              value={filters.dims[name] ?? ''}
              onChange={(e) =>
                setQuery(name === 'region' ? { region: e.target.value, county: undefined } : { [name]: e.target.value })
              }
            >
              <option value="">{t('filter.all')}</option>
              {values.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label ? pick(v.label) : v.value}
                </option>
              ))}
            </select>
          </label>
        );
      })}
      <button
        type="button"
        className="button ghost"
        onClick={() =>
          setQuery(Object.fromEntries(['from', 'to', 'grain', 'cutover', ...filterKeys].map((k) => [k, undefined])))
        }
      >
        {t('filter.reset')}
      </button>
    </div>
  );
}

// The dashboard's pages, one entry each, in navigation order. To add a page: create
// web/src/pages/<name>-page.tsx exporting a React component (use <FilterBar/> and useFilters() for
// URL-kept filters, <Chart/> for ECharts, <DataTable/> for a table with CSV export, useApi() to load),
// add its navigation label to web/src/i18n/zh.ts and en.ts ('nav.<name>'), and add a line below.
// A page for an analysis needs no component of its own: give `component: AnalysisPage` and
// `analysis: '<kind>'`, and AnalysisPage renders the /api/analysis/<kind> result section by section.
import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n/index.ts';
import { AnalysisPage } from './analysis-page.tsx';
import { KpiExplorerPage } from './kpi-explorer-page.tsx';
import { MiningModelsPage } from './mining-models-page.tsx';
import { MiningRulesPage } from './mining-rules-page.tsx';
import { MiningSegmentsPage } from './mining-segments-page.tsx';
import type { PageProps } from './page-props.ts';
import { StreamPage } from './stream-page.tsx';
import { ChannelsPage } from './channels-page.tsx';

export interface PageDefinition {
  /** URL path, e.g. '/analysis/tariff'. */
  path: string;
  nav: MessageKey;
  /** Navigation group; pages without one come first. */
  section?: MessageKey;
  component: ComponentType<PageProps>;
  /** For AnalysisPage: which /api/analysis/<kind> to show. */
  analysis?: string;
}

export const pages: readonly PageDefinition[] = [
  { path: '/', nav: 'nav.overview', component: AnalysisPage, analysis: 'overview' },
  { path: '/kpi', nav: 'nav.kpiExplorer', component: KpiExplorerPage },
  { path: '/analysis/kpi', nav: 'nav.kpi', section: 'nav.section.analysis', component: AnalysisPage, analysis: 'kpi' },
  {
    path: '/analysis/composition',
    nav: 'nav.composition',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'composition',
  },
  {
    path: '/analysis/tariff',
    nav: 'nav.tariff',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'tariff',
  },
  {
    path: '/analysis/activity',
    nav: 'nav.activity',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'activity',
  },
  {
    path: '/analysis/channels',
    nav: 'nav.channels',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'channels',
  },
  {
    path: '/analysis/trial-stickiness',
    nav: 'nav.trial',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'trial-stickiness',
  },
  {
    path: '/analysis/effect',
    nav: 'nav.effect',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'effect',
  },
  { path: '/stream', nav: 'nav.stream', component: StreamPage },
  { path: '/channels', nav: 'nav.sending', component: ChannelsPage },
  { path: '/mining/rules', nav: 'nav.rules', section: 'nav.section.mining', component: MiningRulesPage },
  { path: '/mining/models', nav: 'nav.models', section: 'nav.section.mining', component: MiningModelsPage },
  { path: '/mining/segments', nav: 'nav.segments', section: 'nav.section.mining', component: MiningSegmentsPage },
];

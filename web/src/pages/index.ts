// The dashboard's pages, one entry each, in navigation order. To add a page: create
// web/src/pages/<name>-page.tsx exporting a React component (use <FilterBar/> and useFilters() for
// URL-kept filters, <Chart/> for ECharts, <DataTable/> for a table with CSV export, useApi() to load),
// add its navigation label to web/src/i18n/zh.ts and en.ts ('nav.<name>'), and add a line below.
// A page for an analysis needs no component of its own: give `component: AnalysisPage` and
// `analysis: '<kind>'`, and AnalysisPage renders the /api/analysis/<kind> result section by section.
import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n/index.ts';
import { AlertsPage } from './alerts-page.tsx';
import { AnalysisPage } from './analysis-page.tsx';
import { AreaViewPage } from './area-view-page.tsx';
import { AuditPage } from './audit-page.tsx';
import { KpiExplorerPage } from './kpi-explorer-page.tsx';
import { MiningModelsPage } from './mining-models-page.tsx';
import { MiningRulesPage } from './mining-rules-page.tsx';
import { MiningSegmentsPage } from './mining-segments-page.tsx';
import type { PageProps } from './page-props.ts';
import { RewardsPage } from './rewards-page.tsx';
import { StreamPage } from './stream-page.tsx';
import { UsersPage } from './users-page.tsx';
import { ChannelsPage } from './channels-page.tsx';
import { CampaignsPage } from './campaigns-page.tsx';
import { CampaignKnowledgePage } from './campaign-knowledge-page.tsx';
import { AudiencePage } from './audience-page.tsx';
import { CustomerPage } from './customer-page.tsx';

export interface PageDefinition {
  /** URL path, e.g. '/analysis/tariff'. */
  path: string;
  nav: MessageKey;
  /** Navigation group; pages without one come first. */
  section?: MessageKey;
  component: ComponentType<PageProps>;
  /** For AnalysisPage: which /api/analysis/<kind> to show. */
  analysis?: string;
  /** The right (src/access/rights.ts) a user needs to see the page; the navigation hides it otherwise. */
  right: string;
}

export const pages: readonly PageDefinition[] = [
  { path: '/', nav: 'nav.overview', component: AnalysisPage, analysis: 'overview', right: 'kpi.read' },
  { path: '/kpi', nav: 'nav.kpiExplorer', component: KpiExplorerPage, right: 'kpi.read' },
  {
    path: '/analysis/kpi',
    nav: 'nav.kpi',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'kpi',
    right: 'kpi.read',
  },
  {
    path: '/analysis/composition',
    nav: 'nav.composition',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'composition',
    right: 'kpi.read',
  },
  {
    path: '/analysis/tariff',
    nav: 'nav.tariff',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'tariff',
    right: 'kpi.read',
  },
  {
    path: '/analysis/activity',
    nav: 'nav.activity',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'activity',
    right: 'kpi.read',
  },
  {
    path: '/analysis/channels',
    nav: 'nav.channels',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'channels',
    right: 'kpi.read',
  },
  {
    path: '/analysis/trial-stickiness',
    nav: 'nav.trial',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'trial-stickiness',
    right: 'kpi.read',
  },
  {
    path: '/analysis/effect',
    nav: 'nav.effect',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'effect',
    right: 'kpi.read',
  },
  {
    path: '/analysis/sms-forward',
    nav: 'nav.smsForward',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'sms-forward',
    right: 'kpi.read',
  },
  {
    path: '/analysis/ivr-menus',
    nav: 'nav.ivrMenus',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'ivr-menus',
    right: 'kpi.read',
  },
  {
    path: '/analysis/marketing',
    nav: 'nav.marketing',
    section: 'nav.section.analysis',
    component: AnalysisPage,
    analysis: 'marketing',
    right: 'kpi.read',
  },
  {
    path: '/analysis/area-view',
    nav: 'nav.areaView',
    section: 'nav.section.analysis',
    component: AreaViewPage,
    analysis: 'area-view',
    right: 'kpi.read',
  },
  { path: '/stream', nav: 'nav.stream', component: StreamPage, right: 'stream.read' },
  { path: '/alerts', nav: 'nav.alerts', component: AlertsPage, right: 'alerts.read' },
  { path: '/channels', nav: 'nav.sending', component: ChannelsPage, right: 'channels.read' },
  { path: '/customer', nav: 'nav.customer', component: CustomerPage, right: 'customer.view' },
  {
    path: '/campaigns',
    nav: 'nav.campaigns',
    section: 'nav.section.campaigns',
    component: CampaignsPage,
    right: 'campaigns.read',
  },
  {
    path: '/campaigns/knowledge',
    nav: 'nav.campaignKnowledge',
    section: 'nav.section.campaigns',
    component: CampaignKnowledgePage,
    right: 'campaigns.read',
  },
  {
    path: '/campaigns/audiences',
    nav: 'nav.audiences',
    section: 'nav.section.campaigns',
    component: AudiencePage,
    right: 'campaigns.read',
  },
  {
    path: '/mining/rules',
    nav: 'nav.rules',
    section: 'nav.section.mining',
    component: MiningRulesPage,
    right: 'mining.read',
  },
  {
    path: '/mining/models',
    nav: 'nav.models',
    section: 'nav.section.mining',
    component: MiningModelsPage,
    right: 'mining.read',
  },
  {
    path: '/mining/segments',
    nav: 'nav.segments',
    section: 'nav.section.mining',
    component: MiningSegmentsPage,
    right: 'mining.read',
  },
  {
    path: '/mining/bundles',
    nav: 'nav.bundles',
    section: 'nav.section.mining',
    component: AnalysisPage,
    analysis: 'bundles',
    right: 'mining.read',
  },
  { path: '/stream/rewards', nav: 'nav.rewards', component: RewardsPage, right: 'stream.read' },
  { path: '/admin/users', nav: 'nav.users', section: 'nav.section.admin', component: UsersPage, right: 'users.admin' },
  { path: '/admin/audit', nav: 'nav.audit', section: 'nav.section.admin', component: AuditPage, right: 'audit.read' },
];

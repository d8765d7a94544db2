// The audit log for admins (GET /api/audit): newest rows first, and whether the hash chain is intact.
import type { AuditAnswer } from '../../../src/api/schemas/access-schemas.ts';
import { useApi } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import type { PageProps } from './page-props.ts';

const columns = [
  { key: 'seq', label: '#' },
  { key: 'recorded_at', label: { zh: '时间', en: 'When' } },
  { key: 'actor', label: { zh: '操作者', en: 'Who' } },
  { key: 'address', label: { zh: '地址', en: 'From' } },
  { key: 'action', label: { zh: '操作', en: 'Action' } },
  { key: 'target', label: { zh: '对象', en: 'Target' } },
  { key: 'outcome', label: { zh: '结果', en: 'Outcome' } },
];

export function AuditPage(_props: PageProps) {
  const { t } = useI18n();
  const audit = useApi<AuditAnswer>('/api/audit?limit=500');
  const chain = audit.data?.chain;
  return (
    <section data-testid="results" data-loading={audit.loading ? 'true' : 'false'}>
      <StateMessage loading={audit.loading} error={audit.error} />
      {chain && (
        <p className={chain.ok ? 'chain-ok' : 'chain-broken'} data-testid="audit-chain">
          {chain.ok
            ? `${t('audit.chainOk')} (${chain.rows})`
            : `${t('audit.chainBroken')}: #${chain.brokenAt} ${chain.reason ?? ''}`}
        </p>
      )}
      {audit.data && <DataTable columns={columns} rows={audit.data.rows} fileName="audit-log" />}
    </section>
  );
}

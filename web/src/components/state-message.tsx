// Loading and error states, with the API's hint when it gave one.
import type { ApiError } from '../api.ts';
import { useI18n } from '../i18n/index.ts';

export function StateMessage({ loading, error }: { loading: boolean; error: ApiError | undefined }) {
  const { t } = useI18n();
  if (error) {
    return (
      <div className="message error" role="alert" data-testid="error">
        <strong>{error.code === 'WAREHOUSE_EMPTY' ? t('state.noData') : t('state.error')}</strong>
        <div>{error.message}</div>
        {error.hint && <div className="muted">{error.hint}</div>}
      </div>
    );
  }
  if (loading) return <div className="message muted">{t('state.loading')}</div>;
  return null;
}

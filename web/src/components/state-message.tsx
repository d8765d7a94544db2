// Loading and error states. The API's message is English and technical: the page says what happened
// in the interface's language from the error's code (and names the field through the catalogue), and
// keeps the API's own words under "details" for whoever reports the problem.
import type { ApiError } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { useDimensionLabels } from './dimension-labels.ts';

const translatedCodes = new Set([
  'USAGE',
  'INPUT_INVALID',
  'NOT_FOUND',
  'WAREHOUSE_EMPTY',
  'WAREHOUSE_LOCKED',
  'WRITE_CONFLICT',
  'AUTH_REQUIRED',
  'FORBIDDEN',
  'TOO_MANY_REQUESTS',
  'PAYLOAD_TOO_LARGE',
  'NETWORK',
]);

export function errorMessageKey(code: string): MessageKey {
  return (translatedCodes.has(code) ? `error.${code}` : 'error.other') as MessageKey;
}

export function StateMessage({ loading, error }: { loading: boolean; error: ApiError | undefined }) {
  const { t, lang } = useI18n();
  if (error) {
    return (
      <div className="message error" role="alert" data-testid="error" data-code={error.code}>
        <strong>{error.code === 'WAREHOUSE_EMPTY' ? t('state.noData') : t(errorMessageKey(error.code))}</strong>
        {error.field && <ErrorField field={error.field} />}
        {lang === 'en' ? (
          <>
            <div>{error.message}</div>
            {error.hint && <div className="muted">{error.hint}</div>}
          </>
        ) : (
          <details className="muted">
            <summary>{t('error.details')}</summary>
            <div lang="en">{error.message}</div>
            {error.hint && <div lang="en">{error.hint}</div>}
          </details>
        )}
      </div>
    );
  }
  if (loading) return <div className="message muted">{t('state.loading')}</div>;
  return null;
}

/** The field named by the catalogue (区县, not county); only rendered when there is one. */
function ErrorField({ field }: { field: string }) {
  const { t, pick } = useI18n();
  const labels = useDimensionLabels();
  return (
    <div>
      {t('error.field')}: {pick(labels.dimension(field))}
    </div>
  );
}

// Headline KPI cards: value and change against the previous period.
import type { Headline } from '../../../src/analysis/analysis-result.ts';
import { useI18n } from '../i18n/index.ts';

export function Headlines({ items }: { items: readonly Headline[] }) {
  const { pick, formatNumber, t } = useI18n();
  return (
    <div className="headlines" data-testid="headlines">
      {items.map((item) => (
        <div key={item.key} className="headline" data-testid={`headline-${item.key}`}>
          <div className="headline-label">{pick(item.label)}</div>
          <div className="headline-value">{formatNumber(item.value, item.unit)}</div>
          {item.change !== undefined && item.change !== null && (
            <div className={item.change >= 0 ? 'headline-change up' : 'headline-change down'} title={t('change.pop')}>
              {item.change >= 0 ? '▲' : '▼'} {formatNumber(Math.abs(item.change), 'ratio')}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

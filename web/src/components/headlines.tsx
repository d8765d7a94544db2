// Headline KPI cards: the figure, its definition, and its change against a stated comparison period.
// The arrow shows the direction; its colour says whether that direction is good for the business
// (more cancellations is red), and a rate's change is in percentage points, not a percentage of it.
import type { Headline } from '../../../src/analysis/analysis-result.ts';
import { useI18n } from '../i18n/index.ts';

type Verdict = 'good' | 'bad' | 'neutral';

export function changeVerdict(change: number, better: Headline['better']): Verdict {
  if (change === 0 || !better) return 'neutral';
  return change > 0 === (better === 'up') ? 'good' : 'bad';
}

export function Headlines({ items }: { items: readonly Headline[] }) {
  const { pick } = useI18n();
  // One comparison for every card is said once above them, not repeated on each.
  const first = items[0]?.comparison;
  const shared =
    items.length > 1 && first && items.every((i) => i.comparison?.zh === first.zh && i.comparison?.en === first.en)
      ? first
      : undefined;
  return (
    <>
      {shared && (
        <p className="note" data-testid="headline-comparison-shared">
          {pick(shared)}
        </p>
      )}
      <div className="headlines" data-testid="headlines">
        {items.map((item) => (
          <HeadlineCard key={item.key} item={item} showComparison={!shared} />
        ))}
      </div>
    </>
  );
}

function HeadlineCard({ item, showComparison }: { item: Headline; showComparison: boolean }) {
  const { pick, t } = useI18n();
  return (
    <div className="headline" data-testid={`headline-${item.key}`}>
      <HeadlineFigure item={item} />
      {item.yearOnYear && (
        <ChangeLine
          item={item}
          change={item.yearOnYear.change}
          comparison={item.yearOnYear.comparison}
          testId="headline-yoy"
          prefix={t('change.yoy')}
        />
      )}
      {showComparison && item.comparison && (
        <div className="headline-comparison" data-testid="headline-comparison">
          {pick(item.comparison)}
        </div>
      )}
      <HeadlineDefinition item={item} />
    </div>
  );
}

function HeadlineFigure({ item }: { item: Headline }) {
  const { pick, formatNumber } = useI18n();
  return (
    <>
      <div className="headline-label">{pick(item.label)}</div>
      <div className="headline-value">{formatNumber(item.value, item.unit)}</div>
      {item.change !== undefined && item.change !== null && (
        <ChangeLine item={item} change={item.change} comparison={item.comparison} testId="headline-change" />
      )}
    </>
  );
}

function HeadlineDefinition({ item }: { item: Headline }) {
  const { pick, t } = useI18n();
  return (
    <div className="headline-definition" data-testid="headline-definition">
      <span className="muted">{t('headline.definition')}:</span> {pick(item.definition)}
    </div>
  );
}

/** ▲/▼ and the size of a change, coloured by whether it is good for the business. */
function ChangeLine({
  item,
  change,
  comparison,
  testId,
  prefix,
}: {
  item: Headline;
  change: number;
  comparison: Headline['comparison'];
  testId: string;
  prefix?: string;
}) {
  const { pick, formatNumber, t } = useI18n();
  const verdict = changeVerdict(change, item.better);
  const size = Math.abs(change);
  const shown =
    item.changeKind === 'points'
      ? formatNumber(size, 'points')
      : item.changeKind === 'difference'
        ? formatNumber(size, item.unit)
        : formatNumber(size, 'ratio');
  const verdictText =
    verdict === 'good' ? t('change.better') : verdict === 'bad' ? t('change.worse') : t('change.neutral');
  return (
    <div
      className={`headline-change ${verdict}`}
      data-testid={testId}
      data-verdict={verdict}
      data-kind={item.changeKind}
      title={`${pick(comparison)} · ${verdictText}`}
    >
      {prefix ? `${prefix} ` : ''}
      {change > 0 ? '▲' : change < 0 ? '▼' : '＝'} {shown}
      <span className="visually-hidden"> ({verdictText})</span>
    </div>
  );
}

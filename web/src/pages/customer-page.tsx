// The call-centre agent's page: a caller's number in, the profile out, an offer's outcome recorded with
// one key. Built for the keyboard: the number field has focus on load (paste + Enter), the profile
// then takes focus so that 1–4 record the selected offer's outcome, ↑/↓ choose the offer, and / or
// Esc go back to the number. The number never goes into the page's URL (nor its history).
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { CustomerProfile, Offer } from '../../../src/customers/index.ts';
import { ApiError, fetchJson, sendJson } from '../api.ts';
import { type Bilingual, useI18n } from '../i18n/index.ts';

const outcomeKeys = [
  { key: '1', outcome: 'accepted', label: { zh: '接受', en: 'accepted' } },
  { key: '2', outcome: 'declined', label: { zh: '拒绝', en: 'declined' } },
  { key: '3', outcome: 'not_interested', label: { zh: '不感兴趣', en: 'not interested' } },
  { key: '4', outcome: 'call_back', label: { zh: '稍后回电', en: 'call back' } },
] as const;

const texts = {
  number: { zh: '来电号码', en: 'Caller number' },
  placeholder: { zh: '粘贴或输入11位手机号，按回车', en: 'Paste or type the 11-digit number, press Enter' },
  show: { zh: '查询', en: 'Show' },
  keys: {
    zh: '按键：1 接受 · 2 拒绝 · 3 不感兴趣 · 4 稍后回电 · ↑↓ 选择推荐 · / 或 Esc 输入新号码',
    en: 'Keys: 1 accepted · 2 declined · 3 not interested · 4 call back · ↑↓ choose offer · / or Esc new number',
  },
  loading: { zh: '正在查询…', en: 'Looking up…' },
  notFound: {
    zh: '库中没有这个号码的客户，请与来电者核对号码',
    en: 'No customer with this number: check it with the caller',
  },
  failed: { zh: '查询失败', en: 'Lookup failed' },
  asOf: { zh: '数据截至', en: 'Data as of' },
  offers: { zh: '推荐业务', en: 'Recommended offers' },
  noOffers: { zh: '暂无可推荐业务', en: 'Nothing to offer' },
  churn: { zh: '流失风险', en: 'Churn risk' },
  noReasons: { zh: '无明显流失迹象', en: 'no sign of churn' },
  arpu: { zh: '月消费（ARPU）', en: 'Monthly bill (ARPU)' },
  services: { zh: '增值业务及历史', en: 'Value-added services and history' },
  usage: { zh: '近30天业务使用', en: 'Use per service, last 30 days' },
  uses: { zh: '次使用', en: 'uses' },
  days: { zh: '天', en: 'days' },
  pushed: { zh: '条推送', en: 'pushed' },
  contacts: { zh: '营销接触与响应', en: 'Campaign contacts and responses' },
  none: { zh: '无', en: 'none' },
  alerts: { zh: '相关告警', en: 'Alerts concerning the customer' },
  live: { zh: '今日实时', en: 'Live today' },
  held: { zh: '在订', en: 'held' },
  ended: { zh: '已退订', en: 'ended' },
  recorded: { zh: '已记录', en: 'Recorded' },
  doNotOffer: { zh: '请勿推荐', en: 'Do not offer' },
  perMonth: { zh: '/月', en: '/month' },
} satisfies Record<string, Bilingual>;

/** The number as 11 digits, forgiving spaces, dashes and +86; or what is wrong with it. */
function cleanNumber(input: string): { msisdn: string } | { problem: Bilingual } {
  const text = input
    .trim()
    .replace(/[\s-]/g, '')
    .replace(/^(\+86|0086)/, '');
  if (text === '') return { problem: { zh: '请输入号码', en: 'Type a number' } };
  if (/\D/.test(text)) return { problem: { zh: '号码只能包含数字', en: 'A number has digits only' } };
  if (text.length !== 11)
    return {
      problem: {
        zh: `号码有 ${text.length} 位，手机号应为 11 位`,
        en: `${text.length} digits: a mobile number has 11`,
      },
    };
  if (!text.startsWith('1')) return { problem: { zh: '手机号应以 1 开头', en: 'A mobile number starts with 1' } };
  return { msisdn: text };
}

const yuan = (value: number | null) => (value === null ? '—' : `¥${value.toFixed(2)}`);

export function CustomerPage() {
  const { pick } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const profileBox = useRef<HTMLDivElement>(null);
  const [typed, setTyped] = useState('');
  const [profile, setProfile] = useState<CustomerProfile | undefined>();
  const [problem, setProblem] = useState<Bilingual | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const [recorded, setRecorded] = useState<Record<string, Bilingual>>({});
  const [notice, setNotice] = useState<Bilingual | undefined>();

  useEffect(() => input.current?.focus(), []);

  const lookUp = async (event: FormEvent) => {
    event.preventDefault();
    const cleaned = cleanNumber(typed);
    setNotice(undefined);
    if ('problem' in cleaned) {
      setProblem(cleaned.problem);
      return;
    }
    setProblem(undefined);
    setLoading(true);
    try {
      const found = await fetchJson<CustomerProfile>(`/api/customers/${cleaned.msisdn}`);
      setProfile(found);
      setSelected(0);
      setRecorded({});
      // The profile takes the keyboard: 1–4 now record outcomes.
      requestAnimationFrame(() => profileBox.current?.focus());
    } catch (error) {
      setProfile(undefined);
      const code = error instanceof ApiError ? error.code : '';
      setProblem(
        code === 'NOT_FOUND'
          ? texts.notFound
          : { zh: texts.failed.zh, en: `${texts.failed.en}: ${error instanceof Error ? error.message : ''}` },
      );
    } finally {
      setLoading(false);
    }
  };

  const record = async (offer: Offer, outcome: (typeof outcomeKeys)[number]) => {
    if (!profile) return;
    try {
      await sendJson('POST', `/api/customers/${profile.msisdn}/outcomes`, {
        serviceId: offer.serviceId,
        outcome: outcome.outcome,
        offerRank: offer.rank,
        offerSource: offer.source,
        modelVersion: offer.modelVersion,
      });
      setRecorded((done) => ({ ...done, [offer.serviceId]: outcome.label }));
      setNotice({
        zh: `${texts.recorded.zh}：${offer.label.zh} — ${outcome.label.zh}`,
        en: `${texts.recorded.en}: ${offer.label.en} — ${outcome.label.en}`,
      });
      const next = profile.offers.findIndex((o, i) => i > selected && !(o.serviceId in recorded));
      if (next >= 0) setSelected(next);
    } catch (error) {
      setNotice({ zh: texts.failed.zh, en: `${texts.failed.en}: ${error instanceof Error ? error.message : ''}` });
    }
  };

  const onProfileKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!profile) return;
    if (event.key === '/' || event.key === 'Escape') {
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
      return;
    }
    const offers = profile.offers;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (offers.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setSelected((at) => (at + step + offers.length) % offers.length);
      return;
    }
    const outcome = outcomeKeys.find((k) => k.key === event.key);
    const offer = offers[selected];
    if (outcome && offer) {
      event.preventDefault();
      void record(offer, outcome);
    }
  };

  return (
    <div className="customer-page">
      <form className="filter-bar customer-lookup" onSubmit={lookUp} data-testid="customer-form">
        <label>
          {pick(texts.number)}{' '}
          <input
            ref={input}
            name="msisdn"
            inputMode="numeric"
            autoComplete="off"
            value={typed}
            placeholder={pick(texts.placeholder)}
            onChange={(event) => setTyped(event.target.value)}
            data-testid="customer-number"
            aria-describedby="customer-keys"
            size={28}
          />
        </label>
        <button type="submit" className="button">
          {pick(texts.show)}
        </button>
        <span id="customer-keys" className="muted" data-testid="customer-keys">
          {pick(texts.keys)}
        </span>
      </form>
      {problem && (
        <div className="message error" role="alert" data-testid="customer-problem">
          {pick(problem)}
        </div>
      )}
      {loading && <div className="message muted">{pick(texts.loading)}</div>}
      {notice && (
        <div className="message" role="status" data-testid="customer-notice">
          {pick(notice)}
        </div>
      )}
      {/* Its own keys (1–4, arrows, /): the profile is a small keyboard application for the agent. */}
      <div
        ref={profileBox}
        role="application"
        tabIndex={-1}
        onKeyDown={onProfileKey}
        className="results"
        data-testid="results"
        data-loading={loading ? 'true' : 'false'}
        aria-label={profile ? profile.msisdn : undefined}
      >
        {profile && <ProfileView profile={profile} selected={selected} recorded={recorded} onSelect={setSelected} />}
      </div>
    </div>
  );
}

function ProfileView({
  profile: p,
  selected,
  recorded,
  onSelect,
}: {
  profile: CustomerProfile;
  selected: number;
  recorded: Record<string, Bilingual>;
  onSelect(index: number): void;
}) {
  const { pick } = useI18n();
  return (
    <>
      <section className="panel" data-testid="customer-summary">
        <div className="panel-header">
          <h2 data-testid="customer-msisdn">{p.msisdn}</h2>
          <span className="muted">
            {pick(texts.asOf)} {p.asOf}
          </span>
        </div>
        <div className="headlines">
          <Headline label={{ zh: '品牌', en: 'Brand' }} value={pick(p.brand.label)} />
          <Headline
            label={{ zh: '套餐', en: 'Plan' }}
            value={`${pick(p.plan.label)} ${yuan(p.plan.monthlyFeeYuan)}${pick(texts.perMonth)}`}
          />
          <Headline label={{ zh: '区县', en: 'County' }} value={pick(p.county)} />
          <Headline label={{ zh: '状态', en: 'Status' }} value={pick(p.status.label)} />
          <Headline label={{ zh: '在网时长', en: 'Tenure' }} value={pick(p.tenure.label)} />
          <Headline label={{ zh: '年龄段', en: 'Age band' }} value={p.ageBand} />
        </div>
        <p className="muted" data-testid="customer-segment">
          {pick(p.segment.label)}
        </p>
        <p
          className={p.contactStatus.marketingAllowed ? 'note' : 'message error'}
          data-testid="customer-contact-status"
        >
          {pick(p.contactStatus.label)}
        </p>
        {p.live && (
          <div className="note" data-testid="customer-live">
            <strong>{pick(texts.live)}：</strong>
            {p.live.lines.map((line) => pick(line)).join('；')}
          </div>
        )}
      </section>

      <section className="panel" data-testid="customer-offers">
        <h3>{pick(texts.offers)}</h3>
        {!p.contactStatus.marketingAllowed && <p className="message error">{pick(texts.doNotOffer)}</p>}
        {p.offers.length === 0 ? (
          <p className="muted">{pick(texts.noOffers)}</p>
        ) : (
          <ol className="offer-list">
            {p.offers.map((offer, index) => (
              <li
                key={offer.serviceId}
                className={index === selected ? 'offer selected' : 'offer'}
                aria-current={index === selected}
                data-testid={`offer-${offer.rank}`}
                onMouseEnter={() => onSelect(index)}
              >
                <strong>
                  {index === selected ? '▶ ' : ''}
                  {pick(offer.label)} {yuan(offer.monthlyFeeYuan)}
                  {pick(texts.perMonth)}
                </strong>{' '}
                <span className="muted">{pick(offer.reason)}</span>
                {recorded[offer.serviceId] && (
                  <span className="note" data-testid={`offer-${offer.rank}-outcome`}>
                    {' '}
                    ✓ {pick(recorded[offer.serviceId])}
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
        <p className="muted">{pick(texts.keys)}</p>
      </section>

      <section className="panel" data-testid="customer-churn">
        <h3>
          {pick(texts.churn)}：
          <span
            className={
              p.churn.level === 'high' ? 'severity-critical' : p.churn.level === 'medium' ? 'severity-warning' : ''
            }
          >
            {pick(p.churn.label)}
            {p.churn.score !== null ? ` (${Math.round(p.churn.score * 1000) / 10}%)` : ''}
          </span>
        </h3>
        <ul>
          {p.churn.reasons.length === 0 ? (
            <li className="muted">{pick(texts.noReasons)}</li>
          ) : (
            p.churn.reasons.map((reason) => <li key={reason.en}>{pick(reason)}</li>)
          )}
        </ul>
      </section>

      <section className="panel" data-testid="customer-arpu">
        <h3>{pick(texts.arpu)}</h3>
        <p>{pick(p.arpu.label)}</p>
        <p className="muted">{p.arpu.months.map((m) => `${m.month} ${yuan(m.totalYuan)}`).join(' · ')}</p>
      </section>

      <section className="panel" data-testid="customer-services">
        <h3>{pick(texts.services)}</h3>
        <ul>
          {p.services.length === 0 && <li className="muted">{pick(texts.none)}</li>}
          {p.services.map((s) => (
            <li key={`${s.serviceId}-${s.summary.en}`}>
              <strong>
                {pick(s.label)} {yuan(s.monthlyFeeYuan)}
                {pick(texts.perMonth)} [{pick(s.held ? texts.held : texts.ended)}]
              </strong>{' '}
              {pick(s.summary)}
            </li>
          ))}
        </ul>
        <h3>{pick(texts.usage)}</h3>
        <ul data-testid="customer-usage">
          {p.usage.length === 0 && <li className="muted">{pick(texts.none)}</li>}
          {p.usage.map((u) => (
            <li key={u.serviceId}>
              {pick(u.label)}：{u.events} {pick(texts.uses)}，{u.daysUsed} {pick(texts.days)}
              {u.pushed > 0 ? `，${u.pushed} ${pick(texts.pushed)}` : ''}
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" data-testid="customer-contacts">
        <h3>{pick(texts.contacts)}</h3>
        <ul>
          {p.contacts.length + p.responses.length === 0 && <li className="muted">{pick(texts.none)}</li>}
          {p.contacts.map((c) => (
            <li key={c.messageId}>
              {c.queuedAt.slice(0, 16)} {c.text} [{pick(c.status.label)}]
            </li>
          ))}
          {p.responses.map((r) => (
            <li key={`${r.kind}-${r.at}-${r.text.en}`}>
              {r.at.slice(0, 16)} {pick(r.text)}
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" data-testid="customer-alerts">
        <h3>{pick(texts.alerts)}</h3>
        <ul>
          {p.alerts.length === 0 && <li className="muted">{pick(texts.none)}</li>}
          {p.alerts.map((a) => (
            <li key={a.anomalyId}>
              {a.day} {pick(a.explanation)} [{pick(a.status.label)}]
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Headline({ label, value }: { label: Bilingual; value: string }) {
  const { pick } = useI18n();
  return (
    <div className="headline">
      <div className="headline-label">{pick(label)}</div>
      <div className="headline-value">{value}</div>
    </div>
  );
}

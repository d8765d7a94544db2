// The fitted models as the model page shows them to a marketer: what each is for, whether it beats its
// baseline (said in words), which one is best, and the reasons behind a model (the features that
// weigh most, tree rules, service affinities) and behind a subscriber's offers, in both languages.
import { counties, englishPlaceName } from '../../demo/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { ModelEvaluation } from '../models/model-file.ts';
import { type FeatureLabel, labelFeature } from './feature-labels.ts';

interface Bilingual {
  zh: string;
  en: string;
}

export interface ModelSummary {
  model_version: string;
  purpose: string;
  purposeLabel: Bilingual;
  kind: string;
  trained_at: string;
  rows: number;
  auc: number | null;
  baseline_auc: number | null;
  method: string;
  /** Whether the held-out AUC is above the baseline's, and what that means, in words. */
  beatsBaseline: boolean | null;
  verdict: Bilingual;
}

/** The answer of GET /api/mining/models. */
export interface ModelList {
  models: ModelSummary[];
  /** The model the page shows first: the best held-out AUC among those that beat their baseline. */
  best: string | null;
}

/** The answer of GET /api/mining/models/{version}. */
export interface ModelReport {
  model: ModelSummary;
  /** The held-out figures stored at training, each factor's importance with its label. */
  evaluation:
    | (Omit<ModelEvaluation, 'importance'> & {
        importance: { feature: string; importance: number; label: FeatureLabel }[];
      })
    | null;
  target: unknown;
  /** Cross-sell models: how much more likely holders of one service take another. */
  affinities:
    | { from: string; to: string; oddsRatio: number; lift: number; fromLabel: Bilingual; toLabel: Bilingual }[]
    | null;
  /** Cross-sell models: the held-out AUC per service. */
  services: { service: string; label: Bilingual; auc: number }[] | null;
  reasons: Bilingual[];
}

/** One of a subscriber's next-best offers, its stored reason told in both languages. */
export interface SubscriberOffer {
  offer_rank: number;
  service_id: string;
  name: string | null;
  score: number;
  propensity: number;
  rule_confidence: number;
  reason: string;
  model_version: string;
  label: Bilingual;
  reasonText: Bilingual;
}

/** The answer of GET /api/mining/offers/{msisdn}. */
export interface OfferList {
  offers: SubscriberOffer[];
}

const purposes: Record<string, Bilingual> = {
  churn: { zh: '流失预测', en: 'churn' },
  'cross-sell': { zh: '交叉销售', en: 'cross-sell' },
};

function verdictOf(auc: number | null, baseline: number | null): { beatsBaseline: boolean | null; verdict: Bilingual } {
  if (auc === null)
    return { beatsBaseline: null, verdict: { zh: '没有留出集评估', en: 'not evaluated on held-out rows' } };
  if (baseline === null)
    return { beatsBaseline: null, verdict: { zh: '没有基线可比', en: 'no baseline to compare with' } };
  if (auc > baseline)
    return {
      beatsBaseline: true,
      verdict: { zh: '优于基线,可以使用', en: 'better than its baseline: fit to use' },
    };
  return {
    beatsBaseline: false,
    verdict: {
      zh: '不如基线:这个模型比简单的逻辑回归还差,请勿用它选客户',
      en: 'below its baseline: worse than a plain logistic regression, do not pick customers with it',
    },
  };
}

export async function listModels(warehouse: Warehouse): Promise<ModelList> {
  const rows = await warehouse.all<Omit<ModelSummary, 'purposeLabel' | 'beatsBaseline' | 'verdict'>>(
    `SELECT model_version, purpose, kind, CAST(trained_at AS VARCHAR) AS trained_at, rows, auc, baseline_auc, method
     FROM mining_models ORDER BY trained_at DESC`,
  );
  const models = rows.map((m) => ({
    ...m,
    purposeLabel: purposes[m.purpose] ?? { zh: m.purpose, en: m.purpose },
    ...verdictOf(m.auc, m.baseline_auc),
  }));
  // The best: the highest held-out AUC among models that beat their baseline, else the highest AUC.
  const standing = (m: ModelSummary) => (m.beatsBaseline === true ? 2 : m.beatsBaseline === null ? 1 : 0);
  const ranked = [...models].filter((m) => m.auc !== null).sort((a, b) => standing(b) - standing(a) || b.auc! - a.auc!);
  return { models, best: ranked[0]?.model_version ?? models[0]?.model_version ?? null };
}

export async function readModelReport(warehouse: Warehouse, version: string): Promise<ModelReport> {
  const found = await warehouse.all<
    { model_json: string } & Omit<ModelSummary, 'purposeLabel' | 'beatsBaseline' | 'verdict'>
  >(
    `SELECT model_version, purpose, kind, CAST(trained_at AS VARCHAR) AS trained_at, rows, auc, baseline_auc, method,
            model_json
     FROM mining_models WHERE model_version = ?`,
    [version],
  );
  const row = found[0];
  if (!row) throw new AppError('NOT_FOUND', `no model "${version}"`, { hint: 'GET /api/mining/models lists them' });
  const { model_json, ...model } = row;
  const stored = JSON.parse(model_json) as {
    evaluation?: ModelEvaluation;
    schema?: { features: unknown; target: unknown };
    affinities?: { from: string; to: string; oddsRatio: number; lift: number }[];
    services?: { service: string; auc: number }[];
  };
  const names = await serviceNames(warehouse);
  const importance = (stored.evaluation?.importance ?? []).map((i) => ({ ...i, label: labelFeature(i.feature) }));
  return {
    model: {
      ...model,
      purposeLabel: purposes[model.purpose] ?? { zh: model.purpose, en: model.purpose },
      ...verdictOf(model.auc, model.baseline_auc),
    },
    evaluation: stored.evaluation ? { ...stored.evaluation, importance } : null,
    target: stored.schema?.target ?? null,
    affinities: stored.affinities?.map((a) => ({ ...a, fromLabel: names(a.from), toLabel: names(a.to) })) ?? null,
    services: stored.services?.map(({ service, auc }) => ({ service, label: names(service), auc })) ?? null,
    reasons: modelReasons(model.purpose, importance, stored.evaluation?.rules ?? [], stored.affinities ?? [], names),
  };
}

type NameOf = (service: string) => Bilingual;

async function serviceNames(warehouse: Warehouse): Promise<NameOf> {
  const rows = (await warehouse.tableExists('services'))
    ? await warehouse.all<{ service_id: string; name: string; category: string }>(
        'SELECT service_id, name, category FROM services',
      )
    : [];
  const byId = new Map(rows.map((r) => [r.service_id, r]));
  return (service) => {
    const row = byId.get(service);
    return { zh: row?.name ?? service, en: serviceEnglish[service] ?? serviceEnglish[row?.category ?? ''] ?? service };
  };
}

const serviceEnglish: Record<string, string> = {
  crbt: 'ringback tone',
  news: 'mobile newspaper',
  '12580': '12580 life service',
  directory: '12580 life service',
  fetion: 'Fetion messenger',
  im: 'Fetion messenger',
  music: 'music club',
  game: 'mobile games',
  video: 'mobile video',
  portal: 'Monternet portal',
};

/** Why the model decides as it does, in sentences: weightiest features, tree rules, affinities. */
function modelReasons(
  purpose: string,
  importance: { feature: string; importance: number; label: Bilingual }[],
  rules: readonly string[],
  affinities: readonly { from: string; to: string; oddsRatio: number }[],
  names: NameOf,
): Bilingual[] {
  const reasons: Bilingual[] = [];
  const top = importance.slice(0, 5);
  const total = importance.reduce((s, i) => s + i.importance, 0) || 1;
  if (top.length > 0)
    reasons.push({
      zh: `影响最大的因素:${top.map((i) => `${i.label.zh}(${Math.round((i.importance / total) * 100)}%)`).join('、')}`,
      en: `What weighs most: ${top.map((i) => `${i.label.en} (${Math.round((i.importance / total) * 100)} %)`).join(', ')}`,
    });
  for (const rule of rules.slice(0, 5)) {
    const told = translateTreeRule(rule, purpose);
    if (told) reasons.push(told);
  }
  for (const a of affinities.slice(0, 5))
    reasons.push({
      zh: `订了${names(a.from).zh}的用户订${names(a.to).zh}的可能性是其他用户的 ${a.oddsRatio.toFixed(1)} 倍(优势比)`,
      en: `Holders of ${names(a.from).en} are ${a.oddsRatio.toFixed(1)} times as likely to take ${names(a.to).en} (odds ratio)`,
    });
  return reasons;
}

const levelWords: Record<string, Bilingual> = {
  gotone: { zh: '全球通', en: 'GoTone' },
  easyown: { zh: '神州行', en: 'Easyown' },
  mzone: { zh: '动感地带', en: 'M-Zone' },
  other: { zh: '其他', en: 'other' },
  M: { zh: '男', en: 'male' },
  F: { zh: '女', en: 'female' },
  U: { zh: '未知', en: 'unknown' },
  true: { zh: '是', en: 'yes' },
  false: { zh: '否', en: 'no' },
};
for (const county of counties)
  levelWords[county.name] = { zh: county.name, en: englishPlaceName(county.name) ?? county.name };

/**
 * A tree rule as describe-tree.ts writes it ("tenure_days < 120 and brand = mzone → 1, 64 %, n=85") in
 * both languages; undefined when a condition is not in that form (it is then left out, not shown raw).
 */
export function translateTreeRule(text: string, purpose: string): Bilingual | undefined {
  const match = /^(.*) → (.*), (\d+) %, n=(\d+)$/.exec(text);
  if (!match) return undefined;
  const [, conditionText, label, pct, n] = match as unknown as [string, string, string, string, string];
  const conditions = conditionText === '(all rows)' ? [] : conditionText.split(' and ');
  const told = conditions.map(translateCondition);
  if (told.some((c) => c === undefined)) return undefined;
  const outcome =
    purpose === 'churn'
      ? label === '1'
        ? { zh: '流失', en: 'churn' }
        : { zh: '留存', en: 'stay' }
      : label === '1'
        ? { zh: '会响应', en: 'respond' }
        : { zh: '不响应', en: 'not respond' };
  const when = told as Bilingual[];
  return {
    zh: `${when.length ? when.map((c) => c.zh).join(',且') : '所有用户'}:${pct}% ${outcome.zh}(${n} 位用户)`,
    en: `${when.length ? when.map((c) => c.en).join(' and ') : 'all subscribers'}: ${pct} % ${outcome.en} (${n} subscribers)`,
  };
}

function translateCondition(condition: string): Bilingual | undefined {
  const match = /^(\w+) (<|>=|=|≠|in|not in) (.+?)( \(or missing\))?$/.exec(condition);
  if (!match) return undefined;
  const [, feature, op, rawValue, orMissing] = match as unknown as [string, string, string, string, string | undefined];
  const label = labelFeature(feature);
  const missing = orMissing ? { zh: '(或缺失)', en: ' (or missing)' } : { zh: '', en: '' };
  if (op === '<' || op === '>=') {
    const value = Number(rawValue);
    const shown = label.unit === 'yuan' ? `¥${value}` : String(value);
    return {
      zh: `${label.zh}${op === '<' ? '低于' : '不低于'} ${shown}${missing.zh}`,
      en: `${label.en} ${op === '<' ? 'below' : 'at least'} ${shown}${missing.en}`,
    };
  }
  const values = rawValue.replace(/^\{|\}$/g, '').split(', ');
  const words = values.map((v) => levelWords[v]);
  if (words.some((w) => w === undefined)) return undefined;
  const is = op === '=' || op === 'in';
  return {
    zh: `${label.zh}${is ? '为' : '不是'}${words.map((w) => w!.zh).join('或')}${missing.zh}`,
    en: `${label.en} ${is ? 'is' : 'is not'} ${words.map((w) => w!.en).join(' or ')}${missing.en}`,
  };
}

/** A subscriber's next-best offers from the latest cross-sell model, each reason in both languages. */
export async function readOffers(warehouse: Warehouse, msisdn: string): Promise<SubscriberOffer[]> {
  const rows = await warehouse.all<Omit<SubscriberOffer, 'label' | 'reasonText'>>(
    `SELECT o.offer_rank, o.service_id, s.name, o.score, o.propensity, o.rule_confidence, o.reason, o.model_version
     FROM mining_offers o LEFT JOIN services s USING (service_id)
     WHERE o.msisdn = ? AND o.model_version = (
       SELECT model_version FROM mining_models WHERE purpose = 'cross-sell' ORDER BY trained_at DESC LIMIT 1)
     ORDER BY o.offer_rank`,
    [msisdn],
  );
  const names = await serviceNames(warehouse);
  return rows.map((row) => ({ ...row, label: names(row.service_id), reasonText: tellOfferReason(row.reason, names) }));
}

/**
 * The stored reason (next-best-offer.ts writes it in English, and other readers of mining_offers keep
 * reading that text) told in both languages: "holds crbt + news (rule confidence 45 %, lift 2.1)" or
 * "propensity 12.3 %".
 */
export function tellOfferReason(reason: string, names: NameOf): Bilingual {
  const rule = /^holds (.+) \(rule confidence (\d+) %, lift ([\d.]+)\)$/.exec(reason);
  if (rule) {
    const held = rule[1]!.split(' + ').map(names);
    return {
      zh: `已订${held.map((h) => h.zh).join('和')}的用户常一起订(置信度 ${rule[2]}%,提升度 ${rule[3]})`,
      en: `holds ${held.map((h) => h.en).join(' and ')}, often taken together (confidence ${rule[2]} %, lift ${rule[3]})`,
    };
  }
  const propensity = /^propensity ([\d.]+) %$/.exec(reason);
  if (propensity)
    return {
      zh: `按其用量与资料预测的订购可能性 ${propensity[1]}%`,
      en: `likelihood to order from usage and profile: ${propensity[1]} %`,
    };
  return { zh: '模型推荐', en: reason };
}

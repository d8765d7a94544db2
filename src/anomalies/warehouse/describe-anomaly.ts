// An anomaly in words, in Chinese and English, with names from the dimension catalogue:
// "orders via channel SMS for service 手机报 in 紫金: 1,240 vs expected 180 ± 40".
import type { Bilingual } from '../../metrics/index.ts';
import type { AnomalyKind } from './anomaly.ts';

export type LabelOf = (dimension: string, value: string) => Bilingual;

export interface Description {
  kpi: Bilingual;
  dimensions: Record<string, string>;
  kind: AnomalyKind;
  observed: number;
  expected: number;
  spread: number;
  /** For rules: the share observed and the limit, as fractions. */
  share?: { observed: number; limit: number; of: number };
}

const dimensionWords: Record<string, { en: (name: string) => string; zh: (name: string) => string }> = {
  channel: { en: (n) => `via channel ${n}`, zh: (n) => `${n}渠道` },
  service: { en: (n) => `for service ${n}`, zh: (n) => `${n}业务` },
  county: { en: (n) => `in ${n}`, zh: (n) => n },
  brand: { en: (n) => `of brand ${n}`, zh: (n) => `${n}品牌` },
  tenure_band: { en: (n) => `tenure ${n}`, zh: (n) => `网龄${n}` },
};
// Chinese reads place first, then channel, brand, service: 紫金 短信渠道 手机报业务 订购量.
const zhOrder = ['county', 'tenure_band', 'brand', 'channel', 'service'];

export function describeAnomaly(d: Description, labelOf: LabelOf): { zh: string; en: string } {
  const entries = Object.entries(d.dimensions);
  const en = [d.kpi.en, ...entries.map(([k, v]) => dimensionWords[k]?.en(labelOf(k, v).en) ?? `${k} ${v}`)].join(' ');
  const zh = [
    ...entries
      .sort(([a], [b]) => zhOrder.indexOf(a) - zhOrder.indexOf(b))
      .map(([k, v]) => dimensionWords[k]?.zh(labelOf(k, v).zh) ?? `${k} ${v}`),
    d.kpi.zh,
  ].join(' ');
  const n = (x: number) => formatNumber(x);
  if (d.share) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
    return {
      en: `${en}: ${n(d.observed)} of ${n(d.share.of)} (${pct(d.share.observed)}), allowed ${pct(d.share.limit)}`,
      zh: `${zh}：${n(d.observed)} / ${n(d.share.of)}（${pct(d.share.observed)}），上限 ${pct(d.share.limit)}`,
    };
  }
  const versus = `${n(d.observed)} vs expected ${n(d.expected)} ± ${n(d.spread)}`;
  const versusZh = `${n(d.observed)}，预期 ${n(d.expected)} ± ${n(d.spread)}`;
  switch (d.kind) {
    case 'level_shift':
      return {
        en: `${en}: level shift, ${versus}`,
        zh: `${zh}：水平${d.observed > d.expected ? '上移' : '下移'}，${versusZh}`,
      };
    case 'rate_of_change':
      return {
        en: `${en}: ${n(d.observed)} vs ${n(d.expected)} the day before (${signedPct(d.observed / d.expected - 1)})`,
        zh: `${zh}：${n(d.observed)}，前一天 ${n(d.expected)}（${signedPct(d.observed / d.expected - 1)}）`,
      };
    case 'quick_cancel':
      return {
        en: `${en}: ${n(d.observed)} subscribers ordered and cancelled within minutes`,
        zh: `${zh}：${n(d.observed)} 个用户订购后数分钟内即退订`,
      };
    default:
      return { en: `${en}: ${versus}`, zh: `${zh}：${versusZh}` };
  }
}

function signedPct(x: number): string {
  const v = Math.round(x * 1000) / 10;
  return `${v > 0 ? '+' : ''}${v} %`;
}

/** 1,240 and 180; one decimal below 10 so that a baseline of 0.5 does not read as 1. */
export function formatNumber(x: number): string {
  const rounded = Math.abs(x) < 10 ? Math.round(x * 10) / 10 : Math.round(x);
  return rounded.toLocaleString('en-US');
}

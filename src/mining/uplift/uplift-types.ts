// The words of uplift discovery: a sample is one pilot subscriber (features, contacted or control,
// responded or not); a rule is a sub-group, written as the audience definition's attribute leaves,
// where contacting caused more responses than not contacting, checked on a held-out part of the pilot.

export type FeatureValue = string | number | null;

export interface UpliftSample {
  /** Feature names are the audience attribute names: brand, county, plan, gender, area_type, age, tenure_months, arpu. */
  features: Record<string, FeatureValue>;
  /** Contacted (message delivered) or in the control group. */
  treated: boolean;
  responded: boolean;
}

/** An audience attribute leaf: `{attribute, in}` for categories, `{attribute, between}` for numbers (low inclusive, high exclusive, null = open). */
export type UpliftCondition =
  | { attribute: string; in: string[] }
  | { attribute: string; between: [number | null, number | null] };

export interface Bilingual {
  zh: string;
  en: string;
}

/** Response rates of contacted and control subscribers and their difference, as shares (0.09 = 9 points). */
export interface UpliftEstimate {
  treated: number;
  control: number;
  treatedResponders: number;
  controlResponders: number;
  treatedRate: number;
  controlRate: number;
  /** treatedRate − controlRate. */
  uplift: number;
  /** 95 % interval of the uplift (normal approximation of the difference of two proportions). */
  ciLow: number;
  ciHigh: number;
}

export interface UpliftRule {
  /** `R1`, `R2`, … in order of held-out uplift. */
  id: string;
  /** All must hold; an empty list is the whole pilot. */
  conditions: UpliftCondition[];
  text: Bilingual;
  /** Share of all samples (train and held-out) in the sub-group. */
  share: number;
  train: UpliftEstimate;
  heldOut: UpliftEstimate;
}

export interface UpliftDecile {
  /** 1 = the tenth the model ranks highest. */
  decile: number;
  treated: number;
  control: number;
  treatedRate: number | null;
  controlRate: number | null;
  uplift: number | null;
}

export interface UpliftDiscovery {
  samples: { total: number; train: number; heldOut: number; treated: number; control: number };
  /** The whole pilot, on each part. */
  overall: { train: UpliftEstimate; heldOut: UpliftEstimate };
  /** Sub-groups whose held-out interval lies above zero (at 98 % with a Bonferroni correction over the leaves: at most 1 % of pilots without effect show a false rule), best first. */
  rules: UpliftRule[];
  /** Every leaf of the fitted tree, found or not, best held-out uplift first. */
  leaves: UpliftRule[];
  /**
   * Held-out Qini coefficient: the area between the model's Qini curve and the random-targeting line,
   * in incremental responders per subscriber (0 = no better than random; a perfect ranking of a
   * 10-point effect in a tenth of the base gives about 0.0045).
   */
  qini: number;
  /** Held-out uplift by decile of the model's score. */
  upliftByDecile: UpliftDecile[];
  /** Features used and how each was read. */
  features: { name: string; kind: 'number' | 'category' }[];
}

export interface UpliftOptions {
  /** Seed of the train/held-out split and of tie-breaking (default 1). */
  seed?: number;
  /** Share of samples held out for checking (default 0.5). */
  heldOutShare?: number;
  /** Depth of the uplift tree (default 3). */
  maxDepth?: number;
  /** Fewest contacted and fewest control samples in a leaf of the training part (default max(30, 0.5 % of the training part)). */
  minGroup?: number;
  /** Squared z of the uplift difference between two children needed to split (default 6, p ≈ 0.014 for one split looked at; the held-out check guards against the many looked at). */
  minSplitZ2?: number;
  /** Display labels of attribute values, by attribute then value (added to the built-in ones). */
  valueLabels?: Record<string, Record<string, Bilingual>>;
  /** Only these features (default: every feature in the samples). */
  features?: string[];
}

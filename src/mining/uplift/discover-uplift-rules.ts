// Uplift rule discovery on a pilot: where did contacting cause responses, not merely meet people who
// would have responded anyway? An uplift tree is fitted on one part of the pilot (random, seeded,
// stratified by contacted/control) and every leaf is re-measured on the other part, which the tree
// never saw. A leaf becomes a rule only when its held-out uplift interval, widened for the number of
// leaves looked at (Bonferroni), lies above zero: on a pilot without effect the tree may still chase
// noise, but its leaves then fail on the held-out part.
import { AppError } from '../../shared/errors.ts';
import { createSeededRandom, shuffleInPlace } from '../../shared/seeded-random.ts';
import { describeUpliftConditions } from './describe-uplift-conditions.ts';
import { encodeUpliftSamples, matchingRows } from './uplift-columns.ts';
import { type ArmCounts, estimateUplift } from './uplift-estimate.ts';
import { growUpliftTree, leafOf, leavesOf, type UpliftTreeNode } from './grow-uplift-tree.ts';
import { qiniCoefficient, upliftByDecile } from './qini-curve.ts';
import type { UpliftCondition, UpliftDiscovery, UpliftOptions, UpliftRule, UpliftSample } from './uplift-types.ts';

const CONFIDENCE = 0.95;
/**
 * Chance, on a pilot without any effect, that some leaf passes the held-out test (two-sided, so a
 * false rule has half of it). Stricter than the 95 % shown: several leaves are looked at, and a
 * wrong rule sends a whole rollout to the wrong people.
 */
const RULE_FAMILY_ERROR = 0.02;

export function discoverUpliftRules(samples: readonly UpliftSample[], options: UpliftOptions = {}): UpliftDiscovery {
  const heldOutShare = options.heldOutShare ?? 0.5;
  if (!(heldOutShare > 0 && heldOutShare < 1))
    throw new AppError('INPUT_INVALID', `held-out share ${heldOutShare} must be between 0 and 1`, {
      location: { field: 'heldOutShare' },
    });
  const data = encodeUpliftSamples(samples, options.features);
  const random = createSeededRandom(options.seed ?? 1);
  const { train, heldOut } = splitStratified(data.treated, heldOutShare, random);
  const treatedTotal = data.treated.reduce((s, t) => s + t, 0);
  const controlTotal = data.count - treatedTotal;
  if (treatedTotal === 0 || controlTotal === 0)
    throw new AppError(
      'INPUT_INVALID',
      `uplift needs contacted and control samples (got ${treatedTotal} contacted, ${controlTotal} control)`,
      {
        hint: 'give the pilot a control group that was not contacted',
      },
    );

  const minGroup = options.minGroup ?? Math.max(30, Math.round(train.length * 0.005));
  const tree = growUpliftTree(data, train, {
    maxDepth: options.maxDepth ?? 3,
    minGroup,
    minSplitZ2: options.minSplitZ2 ?? 6,
  });
  const leaves = leavesOf(tree);
  const isTrain = new Uint8Array(data.count);
  for (const i of train) isTrain[i] = 1;

  const measure = (conditions: UpliftCondition[], confidence: number) => {
    const trainCounts = emptyCounts();
    const heldCounts = emptyCounts();
    const matching = matchingRows(data, conditions);
    let members = 0;
    for (let i = 0; i < data.count; i++) {
      if (!matching[i]) continue;
      members++;
      add(isTrain[i] ? trainCounts : heldCounts, data.treated[i]!, data.responded[i]!);
    }
    return {
      share: data.count > 0 ? members / data.count : 0,
      train: estimateUplift(trainCounts, CONFIDENCE),
      heldOut: estimateUplift(heldCounts, CONFIDENCE),
      heldOutStrict: estimateUplift(heldCounts, confidence),
    };
  };
  // The rule test looks at every leaf: widen each interval so that the family's error stays small.
  const strict = 1 - RULE_FAMILY_ERROR / Math.max(1, leaves.length);
  const cache = new Map<UpliftTreeNode, ReturnType<typeof measure> & { leaf: UpliftTreeNode }>();
  const measured = (node: UpliftTreeNode) => {
    let m = cache.get(node);
    if (!m) {
      m = { leaf: node, ...measure(node.conditions, strict) };
      cache.set(node, m);
    }
    return m;
  };
  const asRule = (m: ReturnType<typeof measured>, id: string): UpliftRule => ({
    id,
    conditions: m.leaf.conditions,
    text: describeUpliftConditions(m.leaf.conditions, options.valueLabels),
    share: m.share,
    train: m.train,
    heldOut: m.heldOut,
  });
  const byHeldOutUplift = (a: ReturnType<typeof measured>, b: ReturnType<typeof measured>) =>
    b.heldOut.uplift - a.heldOut.uplift;
  const allLeaves = leaves
    .map(measured)
    .sort(byHeldOutUplift)
    .map((m, k) => asRule(m, `L${k + 1}`));
  const rules = foundUnder(tree, (node) => measured(node).heldOutStrict.ciLow > 0)
    .map(measured)
    .sort(byHeldOutUplift)
    .map((m, k) => asRule(m, `R${k + 1}`));

  const ranked = rankHeldOut(tree, data, heldOut, random);
  const overallTrain = emptyCounts();
  const overallHeld = emptyCounts();
  for (const i of train) add(overallTrain, data.treated[i]!, data.responded[i]!);
  for (const i of heldOut) add(overallHeld, data.treated[i]!, data.responded[i]!);
  return {
    samples: {
      total: data.count,
      train: train.length,
      heldOut: heldOut.length,
      treated: treatedTotal,
      control: controlTotal,
    },
    overall: { train: estimateUplift(overallTrain, CONFIDENCE), heldOut: estimateUplift(overallHeld, CONFIDENCE) },
    rules,
    leaves: allLeaves,
    qini: qiniCoefficient(ranked),
    upliftByDecile: upliftByDecile(ranked),
    features: data.columns.map((c) => ({ name: c.name, kind: c.kind })),
  };
}

/**
 * The found sub-groups under a node: its leaves that pass, except that where every leaf under a
 * split passes and so does the split's own group, the split did not matter and the group is one
 * rule (年龄 < 25 且 品牌 = 动感地带, not that twice, cut by county). The whole pilot is never a rule.
 */
function foundUnder(node: UpliftTreeNode, passes: (node: UpliftTreeNode) => boolean): UpliftTreeNode[] {
  if (!node.left || !node.right) return node.conditions.length > 0 && passes(node) ? [node] : [];
  const below = [...foundUnder(node.left, passes), ...foundUnder(node.right, passes)];
  const whole = leavesOf(node).every((leaf) => below.some((b) => leavesOf(b).includes(leaf)));
  return whole && node.conditions.length > 0 && passes(node) ? [node] : below;
}

/** Contacted and control samples each split at random, so both parts keep the pilot's mix. */
function splitStratified(
  treated: Uint8Array,
  heldOutShare: number,
  random: ReturnType<typeof createSeededRandom>,
): { train: Int32Array; heldOut: Int32Array } {
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const arm of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < treated.length; i++) if (treated[i] === arm) members.push(i);
    shuffleInPlace(members, random);
    const cut = Math.round(members.length * heldOutShare);
    heldOut.push(...members.slice(0, cut));
    train.push(...members.slice(cut));
  }
  const sorted = (xs: number[]) => Int32Array.from(xs).sort();
  return { train: sorted(train), heldOut: sorted(heldOut) };
}

/** Held-out samples by their leaf's training uplift, best first; ties in random (seeded) order. */
function rankHeldOut(
  tree: UpliftTreeNode,
  data: ReturnType<typeof encodeUpliftSamples>,
  heldOut: Int32Array,
  random: ReturnType<typeof createSeededRandom>,
) {
  const score = new Float64Array(data.count);
  for (const i of heldOut) {
    const c = leafOf(tree, data, i).counts;
    score[i] =
      (c.treated > 0 ? c.treatedResponders / c.treated : 0) - (c.control > 0 ? c.controlResponders / c.control : 0);
  }
  const order = Array.from(heldOut);
  shuffleInPlace(order, random);
  // Array.prototype.sort is stable: equal scores keep their shuffled order.
  const sorted = Int32Array.from(order.sort((a, b) => score[b]! - score[a]!));
  return { order: sorted, treated: data.treated, responded: data.responded };
}

function emptyCounts(): ArmCounts {
  return { treated: 0, control: 0, treatedResponders: 0, controlResponders: 0 };
}

function add(counts: ArmCounts, treated: number, responded: number): void {
  if (treated) {
    counts.treated++;
    counts.treatedResponders += responded;
  } else {
    counts.control++;
    counts.controlResponders += responded;
  }
}

// Uplift rule discovery (issue 13): `discoverUpliftRules` on a synthetic pilot with a known sub-group,
// against the usual "two models" approach built from Telmark's own gradient boosting (one model on
// the contacted, one on the control, uplift = the difference of their probabilities), fitted on the
// same samples in the same run. Both rankings are judged on a third, fresh pilot of the same kind by
// the Qini coefficient. `npm run bench -- uplift [samples]` (default 100,000).
import { fitModel } from '../src/mining/models/index.ts';
import {
  encodeFeatures,
  type FeatureTable,
  inferFeatures,
  parseCsvTable,
  selectRows,
} from '../src/mining/table/index.ts';
import {
  discoverUpliftRules,
  matchesConditions,
  qiniCoefficient,
  syntheticPilot,
  type UpliftSample,
} from '../src/mining/uplift/index.ts';
import { reportFigure, timeMs } from './report.ts';

const featureNames = ['brand', 'age', 'county', 'area_type', 'tenure_months', 'arpu', 'gender'];

export async function run(args: string[]): Promise<void> {
  const size = Number(args[0] ?? 100_000);
  const pilot = syntheticPilot({ size, seed: 41, effectInGroup: 0.09 });
  const fresh = syntheticPilot({ size, seed: 42, effectInGroup: 0.09 });

  let discovery: ReturnType<typeof discoverUpliftRules> | undefined;
  const oursMs = await timeMs(() => {
    discovery = discoverUpliftRules(pilot, { seed: 7 });
  });
  const leaves = discovery!.leaves;
  const oursScore = fresh.map(
    (s) => leaves.find((l) => matchesConditions(l.conditions, s.features))?.train.uplift ?? 0,
  );

  let baselineScore: Float64Array | undefined;
  const baselineMs = await timeMs(() => {
    const { table, features } = tableOf(pilot);
    const labels = Uint8Array.from(pilot, (s) => (s.responded ? 1 : 0));
    const arm = (treated: boolean) => Int32Array.from(pilot.flatMap((s, i) => (s.treated === treated ? [i] : [])));
    const fitArm = (treated: boolean) => {
      const rows = arm(treated);
      return fitModel(
        'gbdt',
        selectRows(table, rows),
        labels.filter((_, i) => pilot[i]!.treated === treated),
        {
          seed: 7,
        },
      );
    };
    const contacted = fitArm(true);
    const control = fitArm(false);
    const freshTable = encodeFeatures(rawOf(fresh), features);
    const pt = contacted.predictProbabilities(freshTable);
    const pc = control.predictProbabilities(freshTable);
    baselineScore = pt.map((p, i) => p - pc[i]!);
  });

  const qiniOf = (score: ArrayLike<number>) => {
    const order = Int32Array.from(fresh.keys()).sort((a, b) => score[b]! - score[a]! || a - b);
    return qiniCoefficient({
      order,
      treated: Uint8Array.from(fresh, (s) => (s.treated ? 1 : 0)),
      responded: Uint8Array.from(fresh, (s) => (s.responded ? 1 : 0)),
    });
  };
  // Per 1,000 subscribers: the coefficients are small numbers.
  const oursQini = 1000 * qiniOf(oursScore);
  const baselineQini = 1000 * qiniOf(baselineScore!);
  console.log(
    `${size} samples; rules: ${discovery!.rules.map((r) => `${r.text.en} (held-out ${(100 * r.heldOut.uplift).toFixed(1)} points, ${(100 * r.heldOut.ciLow).toFixed(1)}…${(100 * r.heldOut.ciHigh).toFixed(1)})`).join('; ') || 'none'}; figures from a machine shared with other work`,
  );
  reportFigure({
    name: 'uplift.discover_ms',
    value: oursMs,
    unit: 'ms',
    baseline: 'two gbdt models (contacted, control), fit and score',
    baselineValue: baselineMs,
    ratio: baselineMs / oursMs,
    target: '≤ 3000 ms at 100,000 samples',
  });
  reportFigure({
    name: 'uplift.qini_fresh_pilot',
    value: oursQini,
    unit: 'incremental responders per 1,000 subscribers',
    baseline: 'two gbdt models (contacted, control)',
    baselineValue: baselineQini,
    ratio: baselineQini !== 0 ? oursQini / baselineQini : undefined,
  });
}

function rawOf(samples: readonly UpliftSample[]) {
  const lines = [featureNames.join(',')];
  for (const s of samples) lines.push(featureNames.map((f) => s.features[f] ?? '').join(','));
  return parseCsvTable(`${lines.join('\n')}\n`, 'pilot');
}

function tableOf(samples: readonly UpliftSample[]): {
  table: FeatureTable;
  features: ReturnType<typeof inferFeatures>['features'];
} {
  const raw = rawOf(samples);
  const { features } = inferFeatures(raw, featureNames);
  return { table: encodeFeatures(raw, features), features };
}

import type { Command } from 'commander';
import type { ProgressCallback, TrainingOutcome } from '../../mining/models/index.ts';
import { systemClock } from '../../shared/clock.ts';
import { commandChoiceFromWarehouse } from '../command-warehouse-choice.ts';
import { AppError } from '../../shared/errors.ts';
import type { CommandContext } from '../context.ts';
import { formatRows } from '../output.ts';

interface TrainOptions {
  table?: string;
  target?: string;
  warehouse?: string;
  models?: string;
  model: string;
  positive?: string;
  testFraction: string;
  testTable?: string;
  cv?: string;
  seed: string;
  threshold: string;
  param?: string;
  save?: string;
  forceWrite?: boolean;
  format?: string;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('fit and evaluate a classifier on any CSV table, or the telecom models on the warehouse')
    .option('--table <file>', 'CSV table with a header row')
    .option('--target <column>', 'the column to predict (two labels)')
    .option(
      '--warehouse <models>',
      'fit on the warehouse instead: churn or cross-sell (scores written with the model version), or segments (members for the triggers)',
    )
    .option(
      '--models <models>',
      'the same as --warehouse MODELS, for a ClickHouse warehouse: telmark --warehouse clickhouse://… train --models churn',
    )
    .option('--model <kind>', 'gbdt, tree, forest, logistic or mlp', 'gbdt')
    .option('--positive <label>', 'the label to predict (default: 1/true/yes, else the rarer label)')
    .option('--test-fraction <f>', 'share of rows held out (stratified)', '0.2')
    .option('--test-table <file>', 'evaluate on this table instead (same columns); fit on all of --table')
    .option('--cv <k>', 'stratified k-fold cross-validation instead of one holdout')
    .option('--seed <s>', 'seed for splits and models', '1')
    .option('--threshold <t>', 'probability from which a row is called positive', '0.5')
    .option('--param <list>', 'model settings, e.g. trees=200,maxDepth=3,learningRate=0.1')
    .option('--save <file>', 'write the model (JSON, with its column schema), if it beats its baseline')
    .option(
      '--force-write',
      'write the model (--save) or the warehouse scores even when its held-out AUC does not beat its baseline',
    )
    .option('--format <format>', 'output: table, json or csv')
    .action(async (options: TrainOptions) => {
      const { makeContext } = await import('../context.ts');
      const { models, global } = modelsToFit(options, program.opts());
      const context = makeContext({ ...global, ...(options.format ? { format: options.format } : {}) });
      if (models !== undefined) {
        await trainOnWarehouse({ ...options, warehouse: models }, context);
        return;
      }
      if (!options.table || !options.target)
        throw new AppError('USAGE', 'give --table FILE.csv and --target COLUMN (or --warehouse churn|cross-sell)');
      const { isModelKind, mean, saveModelFile, standardDeviation, trainOnTable } = await import(
        '../../mining/models/index.ts'
      );
      const { readCsvTable } = await import('../../mining/table/index.ts');
      if (!isModelKind(options.model))
        throw new AppError('USAGE', `--model must be gbdt, tree, forest, logistic or mlp, not "${options.model}"`);
      const outcome = trainOnTable(readCsvTable(options.table), {
        target: options.target,
        model: options.model,
        positive: options.positive,
        seed: parseNumber(options.seed, '--seed'),
        testFraction: parseNumber(options.testFraction, '--test-fraction'),
        testTable: options.testTable ? readCsvTable(options.testTable) : undefined,
        folds: options.cv === undefined ? undefined : parseNumber(options.cv, '--cv'),
        threshold: parseNumber(options.threshold, '--threshold'),
        params: parseParams(options.param),
        onProgress: progressReporter(context),
      });
      context.progress.stop();
      const { verdict } = outcome;
      if (!verdict.beatsBaseline)
        context.note(
          `held-out AUC ${verdict.auc.toFixed(4)} is not above the baseline (${verdict.baseline}) by more than two standard errors ` +
            `(${verdict.aucStandardError.toFixed(4)}): the table shows no signal this model can use` +
            (options.save && !options.forceWrite
              ? `; model NOT saved to ${options.save} (--force-write saves it anyway)`
              : ''),
        );
      if (options.save && (verdict.beatsBaseline || options.forceWrite)) {
        saveModelFile(options.save, outcome.modelFile);
        context.note(`model saved to ${options.save}`);
      }
      const folds = outcome.foldAucs && {
        mean: mean(outcome.foldAucs),
        sd: standardDeviation(outcome.foldAucs),
        aucs: outcome.foldAucs,
      };
      context.print(
        context.format === 'json'
          ? JSON.stringify(trainingJson(outcome, folds), null, 2)
          : trainingText(outcome, context, folds),
      );
    });
}

const warehouseModels = ['churn', 'cross-sell', 'segments'];

/**
 * Which warehouse models to fit. The program's own `--warehouse URL` takes a `--warehouse` written after
 * `train` too, so `train --warehouse churn` reaches the program: a model name there is this command's
 * choice (and the ClickHouse URL, if any, then comes from TELMARK_WAREHOUSE or the config file);
 * `--models` names them beside a `--warehouse clickhouse://…`.
 */
function modelsToFit(
  options: TrainOptions,
  global: Record<string, unknown>,
): { models: string | undefined; global: Record<string, unknown> } {
  if (options.models !== undefined) return { models: options.models, global };
  if (options.warehouse !== undefined) return { models: options.warehouse, global };
  const { choice, global: rest } = commandChoiceFromWarehouse(global, warehouseModels, 'a model to fit');
  return { models: choice, global: rest };
}

/** The warehouse the models read and write: the ClickHouse cluster when configured, else the DuckDB file. */
async function withMiningWarehouse<T>(
  context: CommandContext,
  work: (warehouse: import('../../mining/telecom/index.ts').MiningWarehouse) => Promise<T>,
): Promise<T> {
  if (context.config.warehouse !== undefined) {
    const { openFactsLoaded } = await import('../lazy-context.ts');
    const cluster = await openFactsLoaded(context.config.warehouse);
    if (cluster) return work(cluster);
  }
  const { withWarehouse } = await import('../../warehouse/index.ts');
  return withWarehouse(context.config.db, work);
}

async function trainOnWarehouse(options: TrainOptions, context: CommandContext): Promise<void> {
  const which = options.warehouse;
  if (which !== 'churn' && which !== 'cross-sell' && which !== 'segments')
    throw new AppError('USAGE', `--models (or --warehouse) must be churn, cross-sell or segments, not "${which}"`);
  const seed = parseNumber(options.seed, '--seed');
  if (which === 'segments') {
    const { saveSegmentMembers } = await import('../../mining/telecom/index.ts');
    const saved = await withMiningWarehouse(context, (warehouse) =>
      saveSegmentMembers(warehouse, { clock: systemClock, seed, choose: 'silhouette', maxK: 8 }),
    );
    if (context.format === 'json') context.print(JSON.stringify(saved, null, 2));
    else {
      context.print(formatRows(saved.segments, context.format));
      context.note(
        `${saved.members} subscribers in mining_segment_members (model ${saved.modelVersion}); rules use who.segments: [segment-N]`,
      );
    }
    return;
  }
  const { isModelKind } = await import('../../mining/models/index.ts');
  const { fitChurnModel, fitCrossSellModels } = await import('../../mining/telecom/index.ts');
  await withMiningWarehouse(context, async (warehouse) => {
    if (which === 'churn') {
      if (!isModelKind(options.model))
        throw new AppError('USAGE', `--model must be gbdt, tree, forest, logistic or mlp, not "${options.model}"`);
      const churn = await fitChurnModel(warehouse, {
        clock: systemClock,
        seed,
        model: options.model,
        forceWrite: options.forceWrite === true,
      });
      if (!churn.written)
        context.note(
          `held-out AUC ${churn.auc.toFixed(4)} is not above the logistic baseline's ${churn.baselineAuc.toFixed(4)}: ` +
            'scores NOT written (--force-write writes them anyway)',
        );
      const summary = {
        model_version: churn.modelVersion,
        auc: churn.auc,
        logistic_baseline_auc: churn.baselineAuc,
        rows: churn.rows,
        churners: churn.churners,
        scored: churn.scored,
        beats_baseline: churn.beatsBaseline,
      };
      if (context.format === 'json')
        context.print(JSON.stringify({ ...summary, importance: churn.importance }, null, 2));
      else {
        context.print(formatRows([summary], context.format));
        if (context.format === 'table')
          context.print(
            `\nfeature importance\n${formatRows(
              churn.importance.slice(0, 10).map((i) => ({ ...i })),
              'table',
            )}${churn.written ? '\n\nscores in mining_churn_scores' : ''}`,
          );
      }
      return;
    }
    const result = await fitCrossSellModels(warehouse, { clock: systemClock, seed });
    const affinities = result.affinities.slice(0, 10).map((a) => ({
      from: a.from,
      to: a.to,
      odds_ratio: a.oddsRatio,
      lift: a.lift,
      holders_of_both: a.holdersOfBoth,
    }));
    if (context.format === 'json')
      context.print(
        JSON.stringify(
          {
            model_version: result.modelVersion,
            affinities,
            propensities: result.propensities,
            offers: result.offers.length,
          },
          null,
          2,
        ),
      );
    else {
      context.print(
        `model ${result.modelVersion}: ${result.rules.length} rules, ${result.offers.length} offers (mining_rules, mining_propensity_scores, mining_offers)`,
      );
      context.print(
        `\ncross-sell affinity (odds ratio, profile held equal)\n${formatRows(affinities, context.format)}`,
      );
      context.print(`\npropensity models (held-out AUC)\n${formatRows(result.propensities, context.format)}`);
    }
  });
}

function progressReporter(context: CommandContext): ProgressCallback {
  let started = false;
  return (done, total, label) => {
    if (!started) {
      context.progress.start(total, label);
      started = true;
    }
    context.progress.update(done, label);
    if (done === total) started = false;
  };
}

/** AUC over cross-validation folds, computed by the caller (which has the models module loaded). */
interface FoldAucs {
  mean: number;
  sd: number;
  aucs: number[];
}

export function trainingJson(outcome: TrainingOutcome, folds?: FoldAucs): Record<string, unknown> {
  const { report } = outcome;
  return {
    model: outcome.classifier.kind,
    method: outcome.method,
    auc: folds ? folds.mean : report.auc,
    ...(folds ? { auc_sd: folds.sd, fold_aucs: folds.aucs } : {}),
    baseline: outcome.verdict.baseline,
    baseline_auc: outcome.verdict.baselineAuc,
    auc_se: outcome.verdict.aucStandardError,
    beats_baseline: outcome.verdict.beatsBaseline,
    pr_auc: report.prAuc,
    log_loss: report.logLoss,
    accuracy: report.accuracy,
    rows: report.rows,
    positives: report.positives,
    train_rows: outcome.trainRows,
    target: outcome.schema.target,
    confusion: report.confusion,
    gain: report.gain,
    importance: outcome.importance,
    features: outcome.schema.features.map((f) => ({ name: f.name, kind: f.kind })),
    excluded: outcome.schema.excluded,
    ...(outcome.rules ? { rules: outcome.rules.map((r) => r.text) } : {}),
  };
}

function trainingText(outcome: TrainingOutcome, context: CommandContext, folds?: FoldAucs): string {
  const { report, schema } = outcome;
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  const aucText = folds
    ? `${r4(folds.mean)} ± ${r4(folds.sd)} over ${folds.aucs.length} folds`
    : String(r4(report.auc));
  const c = report.confusion;
  const lines = [
    `model ${outcome.classifier.kind}, target ${schema.target.name} (positive "${schema.target.positive}"), ` +
      `${schema.features.length} features, trained on ${outcome.trainRows} rows, evaluated by ${outcome.method} on ${report.rows} rows`,
    schema.excluded.length
      ? `excluded columns: ${schema.excluded.map((e) => `${e.name} (${e.reason})`).join(', ')}`
      : '',
    '',
    `ROC AUC   ${aucText}${outcome.verdict.beatsBaseline ? '' : `  (NOT above the baseline: ${outcome.verdict.baseline})`}`,
    `PR AUC    ${r4(report.prAuc)}`,
    `log loss  ${r4(report.logLoss)}`,
    `accuracy  ${r4(report.accuracy)} at threshold ${c.threshold}`,
    '',
    formatRows(
      [
        {
          actual: schema.target.positive,
          [`→ ${schema.target.positive}`]: c.truePositives,
          [`→ ${schema.target.negative}`]: c.falseNegatives,
        },
        {
          actual: schema.target.negative,
          [`→ ${schema.target.positive}`]: c.falsePositives,
          [`→ ${schema.target.negative}`]: c.trueNegatives,
        },
      ],
      'table',
    ),
    '',
    'gain and lift by decile of score',
    formatRows(
      report.gain.map((g) => ({
        decile: g.decile,
        rows: g.rows,
        positives: g.positives,
        rate: r4(g.rate),
        cumulative_gain: r4(g.cumulativeGain),
        lift: r4(g.lift),
      })),
      'table',
    ),
  ];
  if (outcome.importance.length) {
    lines.push('', 'feature importance');
    lines.push(
      formatRows(
        outcome.importance.slice(0, 15).map((i) => ({ feature: i.feature, importance: r4(i.importance) })),
        'table',
      ),
    );
  }
  if (outcome.rules)
    lines.push('', 'rules (one a leaf, highest positive rate first)', ...outcome.rules.map((r) => `  ${r.text}`));
  if (context.format === 'csv')
    return formatRows(
      [trainingJson(outcome, folds)].map(({ auc, pr_auc, log_loss, accuracy, rows }) => ({
        auc,
        pr_auc,
        log_loss,
        accuracy,
        rows,
      })),
      'csv',
    );
  return lines.filter((line, i) => !(i === 1 && line === '')).join('\n');
}

function parseNumber(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new AppError('USAGE', `${flag} must be a number, not "${text}"`);
  return value;
}

function parseParams(text: string | undefined): Record<string, number> | undefined {
  if (!text) return undefined;
  const params: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim());
    if (!key || value === undefined) throw new AppError('USAGE', `--param takes key=value pairs, not "${pair}"`);
    params[key] = parseNumber(value, `--param ${key}`);
  }
  return params;
}

import type { Command } from 'commander';
import type { BasketFormat, BasketSet } from '../../mining/rules/index.ts';
import { commandChoiceFromWarehouse } from '../command-warehouse-choice.ts';
import { AppError } from '../../shared/errors.ts';
import type { GlobalOptions } from '../context.ts';

interface RulesOptions {
  baskets?: string;
  basketFormat?: string;
  warehouse?: string;
  basketsFrom?: string;
  minSupport: string;
  minConfidence: string;
  minLift?: string;
  maxLen?: string;
  maxConsequent?: string;
  left?: string;
  right?: string;
  limit?: string;
  format?: string;
}

export function registerRulesCommand(program: Command): void {
  program
    .command('rules')
    .description('association rules (FP-growth) on a basket file or the warehouse')
    .option('--baskets <file>', 'one transaction a line, items separated by commas (a .dat file: FIMI format)')
    .option('--basket-format <format>', 'csv (items separated by commas) or fimi (item ids separated by spaces)')
    .option('--warehouse <kind>', 'baskets from the warehouse: holdings (services held together) or monthly-usage')
    .option(
      '--baskets-from <kind>',
      'the same as --warehouse KIND, for a ClickHouse warehouse: telmark --warehouse clickhouse://… rules --baskets-from holdings',
    )
    .option('--min-support <s>', 'minimum support, a fraction of baskets', '0.01')
    .option('--min-confidence <c>', 'minimum confidence', '0.5')
    .option('--min-lift <l>', 'minimum lift')
    .option('--max-len <k>', 'most items in a rule (left and right)')
    .option('--max-consequent <k>', 'most items on the right (default 1)')
    .option('--left <items>', 'only these items on the left (comma-separated)')
    .option('--right <items>', 'only these items on the right (comma-separated)')
    .option('--limit <n>', 'print at most n rules')
    .option('--format <format>', 'output: table, json or csv')
    .action(async (options: RulesOptions) => {
      const { makeOutputContext } = await import('../output-context.ts');
      const { mineRuleTable } = await import('../../mining/rules/index.ts');
      const { writeRuleTable } = await import('../rule-output.ts');
      // a basket file needs no configuration (and so no zod); the warehouse's baskets load it below
      const context = makeOutputContext({ format: options.format ?? program.opts().format });
      const ruleOptions = {
        minSupport: parseFraction(options.minSupport, '--min-support'),
        minConfidence: parseFraction(options.minConfidence, '--min-confidence', true),
        minLift: options.minLift === undefined ? undefined : parseNumber(options.minLift, '--min-lift'),
        maxLength: options.maxLen === undefined ? undefined : parseCount(options.maxLen, '--max-len', 2),
        maxConsequent:
          options.maxConsequent === undefined ? undefined : parseCount(options.maxConsequent, '--max-consequent', 1),
        allowedLeft: parseItems(options.left),
        allowedRight: parseItems(options.right),
      };
      const limit = options.limit === undefined ? undefined : parseCount(options.limit, '--limit', 0);
      const baskets = await loadBaskets(options, program.opts());
      const mined = mineRuleTable(baskets, ruleOptions);
      context.note(
        `${baskets.basketCount} baskets, ${baskets.itemNames.length} items, min count ${mined.minCount}: ` +
          `${mined.itemsets.size} frequent itemsets, ${mined.rules.size} rules`,
      );
      writeRuleTable(mined.rules, context.write, { format: context.format, limit });
    });
}

/** The program's own `--warehouse URL` takes a `--warehouse holdings` written after `rules` too: a basket kind there is ours. */
const basketKinds = ['holdings', 'monthly-usage'];

async function loadBaskets(options: RulesOptions, program: GlobalOptions): Promise<BasketSet> {
  let global: GlobalOptions = program;
  let kind = options.basketsFrom ?? options.warehouse;
  if (kind === undefined)
    ({ choice: kind, global } = commandChoiceFromWarehouse(program, basketKinds, 'a kind of baskets'));
  if (options.baskets && kind !== undefined)
    throw new AppError('USAGE', 'give either --baskets FILE or --warehouse KIND, not both');
  const format = parseBasketFormat(options.basketFormat);
  if (format && !options.baskets) throw new AppError('USAGE', '--basket-format goes with --baskets FILE');
  if (options.baskets) return (await import('../../mining/rules/index.ts')).readBasketFile(options.baskets, format);
  if (kind === undefined) throw new AppError('USAGE', 'give --baskets FILE or --warehouse holdings|monthly-usage');
  const { isWarehouseBasketKind, readWarehouseBaskets } = await import('../../mining/rules/warehouse-baskets.ts');
  if (!isWarehouseBasketKind(kind))
    throw new AppError('USAGE', `--baskets-from (or --warehouse) must be holdings or monthly-usage, not "${kind}"`);
  const { makeContext } = await import('../context.ts');
  const config = makeContext(global).config;
  // On a ClickHouse warehouse one basket per subscriber comes back from the cluster.
  const { openFactsLoaded } = await import('../lazy-context.ts');
  const cluster = await openFactsLoaded(config.warehouse);
  if (cluster) return readWarehouseBaskets(cluster, kind);
  const { withWarehouse } = await import('../../warehouse/index.ts');
  return withWarehouse(config.db, (warehouse) => readWarehouseBaskets(warehouse, kind));
}

function parseBasketFormat(text: string | undefined): BasketFormat | undefined {
  if (text === undefined || text === 'csv' || text === 'fimi') return text;
  throw new AppError('USAGE', `--basket-format must be csv or fimi, not "${text}"`);
}

function parseNumber(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new AppError('USAGE', `${flag} must be a number, not "${text}"`);
  return value;
}

function parseFraction(text: string, flag: string, allowZero = false): number {
  const value = parseNumber(text, flag);
  if (value > 1 || value < 0 || (!allowZero && value === 0))
    throw new AppError('USAGE', `${flag} must be a fraction in ${allowZero ? '[0' : '(0'}, 1], not ${text}`);
  return value;
}

function parseCount(text: string, flag: string, min: number): number {
  const value = parseNumber(text, flag);
  if (!Number.isInteger(value) || value < min)
    throw new AppError('USAGE', `${flag} must be a whole number ≥ ${min}, not ${text}`);
  return value;
}

function parseItems(text: string | undefined): Set<string> | undefined {
  if (text === undefined) return undefined;
  return new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

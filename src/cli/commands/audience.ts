// `telmark audience preview|save|export|list|show`: audiences from a file (JSON or YAML), from text, or
// saved ones by id. Everything the commands do is imported inside their actions.
import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { CommandContext } from '../context.ts';
import { loadContext, openFactsLoaded, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

interface SourceOptions {
  file?: string;
  definition?: string;
  id?: string;
  version?: string;
  asOf?: string;
}

const sourceHelp = 'the audience: --file AUDIENCE.json|yaml, --definition JSON, or --id N [--version V] of a saved one';

function withSource(command: Command, saved = true): Command {
  command
    .option('--file <file>', 'JSON or YAML file: the definition, or { name, definition }')
    .option('--definition <json>', 'the definition as JSON text, e.g. \'{"attribute":"brand","in":["mzone"]}\'');
  if (saved) command.option('--id <n>', 'a saved audience').option('--version <v>', 'its version (default the latest)');
  return command;
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new AppError('USAGE', `${flag} must be a whole number, not "${value}"`);
  return Number(value);
}

/** The definition named by the flags (reading a saved one needs the warehouse, hence the callback). */
async function resolveSource(
  options: SourceOptions,
  warehouse: import('../../warehouse/index.ts').Warehouse,
): Promise<{ definition: unknown; name?: string; saved?: { id: number; version: number } }> {
  const given = [options.file, options.definition, options.id].filter((v) => v !== undefined).length;
  if (given !== 1) throw new AppError('USAGE', `give exactly one source: ${sourceHelp}`);
  const audiences = await import('../../campaigns/audiences/index.ts');
  if (options.file) return audiences.readAudienceFile(options.file);
  if (options.definition) return audiences.parseAudienceText(options.definition, '--definition');
  const id = wholeNumber(options.id, '--id')!;
  const found = await audiences.getAudience(warehouse, id, wholeNumber(options.version, '--version'));
  return { definition: found.definition, name: found.name, saved: { id: found.id, version: found.version } };
}

function asOfOf(options: SourceOptions): { asOf?: string } {
  if (options.asOf === undefined) return {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf))
    throw new AppError('USAGE', `--as-of must be YYYY-MM-DD, not "${options.asOf}"`);
  return { asOf: options.asOf };
}

export function registerAudienceCommand(program: Command): void {
  const audience = program
    .command('audience')
    .description('audiences: preview the size, save versions, export the list');

  withSource(audience.command('preview'))
    .description('size of an audience with its breakdown by county and brand')
    .option('--as-of <date>', "take the audience on this day (default the data's last day)")
    .action(async (options: SourceOptions) => {
      const context = await loadContext(program.opts());
      const { previewAudience } = await import('../../campaigns/audiences/index.ts');
      // With a ClickHouse warehouse the members are counted there; a saved audience is read from the file.
      const facts = await openFactsLoaded(context.config.warehouse);
      const preview = await withWarehouseLoaded(context.config.db, async (warehouse) => {
        const source = await resolveSource(options, warehouse);
        return previewAudience(facts ?? warehouse, source.definition, asOfOf(options));
      });
      for (const warning of preview.warnings) process.stderr.write(`warning: ${warning.path}: ${warning.message.en}\n`);
      if (context.format === 'json') {
        context.print(JSON.stringify(preview));
        return;
      }
      const rows = [
        { breakdown: 'total', value: `as of ${preview.asOf ?? '-'}`, subscribers: preview.size },
        ...preview.byCounty.map((c) => ({ breakdown: 'county', value: c.county, subscribers: c.subscribers })),
        ...preview.byBrand.map((b) => ({
          breakdown: 'brand',
          value: `${b.label.zh} ${b.brand}`,
          subscribers: b.subscribers,
        })),
      ];
      context.print(formatRows(rows, context.format));
    });

  withSource(audience.command('save'), false)
    .description('save an audience (a new one, or a new version of --id N)')
    .option('--name <name>', 'its name (default the name in the file)')
    .option('--id <n>', 'add a version to this saved audience')
    .action(async (options: SourceOptions & { name?: string }) => {
      const context = await loadContext(program.opts());
      const { saveAudience } = await import('../../campaigns/audiences/index.ts');
      const { localActor } = await import('../read-password.ts');
      const { actor } = await localActor();
      const saved = await withWarehouseLoaded(context.config.db, async (warehouse) => {
        const source = await resolveSource({ file: options.file, definition: options.definition }, warehouse);
        const name = options.name ?? source.name;
        if (!name) throw new AppError('USAGE', 'give the audience a name: --name NAME (or "name" in the file)');
        return saveAudience(warehouse, {
          id: wholeNumber(options.id, '--id'),
          name,
          definition: source.definition,
          createdBy: actor,
          clock: systemClock,
        });
      });
      printOne(context, { id: saved.id, version: saved.version, name: saved.name, created_by: saved.createdBy });
    });

  withSource(audience.command('export'))
    .description('the audience as a list (msisdn, county, brand); numbers masked unless --unmasked; audited')
    .option('--as-of <date>', "take the audience on this day (default the data's last day)")
    .option('--out <file>', 'write the CSV to this file instead of printing')
    .option('--unmasked', 'full phone numbers (recorded in the audit log)')
    .action(async (options: SourceOptions & { out?: string; unmasked?: boolean }) => {
      const context = await loadContext(program.opts());
      const { exportAudience } = await import('../../campaigns/audiences/index.ts');
      const { localActor } = await import('../read-password.ts');
      const who = await localActor();
      const facts = await openFactsLoaded(context.config.warehouse);
      const result = await withWarehouseLoaded(context.config.db, async (warehouse) => {
        const source = await resolveSource(options, warehouse);
        return exportAudience(warehouse, {
          ...(facts ? { facts } : {}),
          definition: source.definition,
          ...asOfOf(options),
          unmasked: options.unmasked === true,
          actor: who.actor,
          address: who.address,
          clock: systemClock,
          ...(source.saved ? { audience: source.saved } : {}),
        });
      });
      if (options.out) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(options.out, result.csv);
        printOne(context, { rows: result.rows, file: options.out, masked: options.unmasked !== true });
        return;
      }
      if (context.format === 'csv') process.stdout.write(result.csv);
      else context.print(context.format === 'json' ? JSON.stringify(result.list) : formatRows(result.list, 'table'));
    });

  audience
    .command('list')
    .description('saved audiences, the latest version of each')
    .action(async () => {
      const context = await loadContext(program.opts());
      const { listAudiences } = await import('../../campaigns/audiences/index.ts');
      const list = await withWarehouseLoaded(context.config.db, (warehouse) => listAudiences(warehouse));
      context.print(
        context.format === 'json'
          ? JSON.stringify(list)
          : formatRows(list as unknown as Record<string, unknown>[], context.format),
      );
    });

  audience
    .command('show')
    .description('every version of a saved audience, newest first')
    .argument('<id>', 'the audience')
    .action(async (id: string) => {
      const context = await loadContext(program.opts());
      const { getAudienceVersions } = await import('../../campaigns/audiences/index.ts');
      const versions = await withWarehouseLoaded(context.config.db, (warehouse) =>
        getAudienceVersions(warehouse, wholeNumber(id, 'ID')!),
      );
      if (context.format === 'json') context.print(JSON.stringify(versions));
      else
        context.print(
          formatRows(
            versions.map((v) => ({ ...v, definition: JSON.stringify(v.definition) })),
            context.format,
          ),
        );
    });
}

function printOne(context: CommandContext, row: Record<string, unknown>): void {
  context.print(context.format === 'json' ? JSON.stringify(row) : formatRows([row], context.format));
}

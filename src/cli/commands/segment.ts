import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RawTable } from '../../mining/table/index.ts';
import { AppError } from '../../shared/errors.ts';
import { rowsToCsv } from '../../shared/csv-text.ts';
import { formatRows } from '../output.ts';

interface SegmentCommandOptions {
  table: string;
  columns?: string;
  k?: string;
  choose: string;
  maxK: string;
  seed: string;
  rfm?: string;
  out?: string;
  format?: string;
}

export function registerSegmentCommand(program: Command): void {
  program
    .command('segment')
    .description('segments of any CSV table: k-means on scaled features, or RFM value segments')
    .requiredOption('--table <file>', 'CSV table with a header row')
    .option('--columns <list>', 'columns to segment on (default: every usable column)')
    .option('--k <k>', 'number of segments (default: chosen)')
    .option('--choose <method>', 'how to choose k: silhouette or elbow', 'silhouette')
    .option('--max-k <k>', 'largest k tried when choosing', '8')
    .option('--seed <s>', 'seed for k-means++', '1')
    .option('--rfm <columns>', 'RFM segments from recency,frequency,monetary columns instead of k-means')
    .option('--out <file>', 'write each row with its segment as CSV')
    .option('--format <format>', 'output: table, json or csv')
    .action(async (options: SegmentCommandOptions) => {
      const { makeContext } = await import('../context.ts');
      const { segmentTable } = await import('../../mining/segments/index.ts');
      const { encodeFeatures, inferFeatures, readCsvTable } = await import('../../mining/table/index.ts');
      const context = makeContext({ ...program.opts(), ...(options.format ? { format: options.format } : {}) });
      const raw = readCsvTable(options.table);
      if (options.rfm) {
        const rows = await rfmRows(raw, options.rfm);
        if (options.out) writeFileSync(options.out, rowsToCsv(rows));
        const summary = new Map<string, { segment: string; rows: number }>();
        for (const row of rows) {
          const entry = summary.get(row.segment) ?? { segment: row.segment, rows: 0 };
          entry.rows++;
          summary.set(row.segment, entry);
        }
        const table = [...summary.values()]
          .sort((a, b) => b.rows - a.rows)
          .map((s) => ({ ...s, share: Math.round((s.rows / rows.length) * 1000) / 1000 }));
        context.print(formatRows(table, context.format));
        return;
      }
      const columns = options.columns?.split(',').map((c) => c.trim());
      const { features, excluded } = inferFeatures(raw, columns);
      if (excluded.length) context.note(`left out: ${excluded.map((e) => `${e.name} (${e.reason})`).join(', ')}`);
      const choose = options.choose;
      if (choose !== 'silhouette' && choose !== 'elbow')
        throw new AppError('USAGE', `--choose must be silhouette or elbow, not "${choose}"`);
      const result = segmentTable(encodeFeatures(raw, features), {
        k: options.k === undefined ? undefined : Number(options.k),
        choose,
        maxK: Number(options.maxK),
        seed: Number(options.seed),
      });
      if (result.candidates.length)
        context.note(
          `k chosen by ${result.method}: ${result.k} (${result.candidates
            .map((c) => `k=${c.k} silhouette ${c.silhouette.toFixed(3)}`)
            .join(', ')})`,
        );
      if (options.out) {
        const keys = excluded.filter((e) => e.reason === 'id-like').map((e) => raw.header.indexOf(e.name));
        const rows = Array.from(result.assignment, (segment, r) => ({
          row: r + 1,
          ...Object.fromEntries(keys.map((c) => [raw.header[c]!, raw.columns[c]![r]!])),
          segment,
        }));
        writeFileSync(options.out, rowsToCsv(rows));
        context.note(`${rows.length} rows written to ${options.out}`);
      }
      const rows = result.segments.map((s) => ({
        segment: s.id,
        rows: s.size,
        share: Math.round(s.share * 1000) / 1000,
        description: s.description,
      }));
      context.print(
        context.format === 'json'
          ? JSON.stringify(
              { k: result.k, method: result.method, candidates: result.candidates, segments: result.segments },
              null,
              2,
            )
          : formatRows(rows, context.format),
      );
    });
}

async function rfmRows(raw: RawTable, spec: string) {
  const { rfmSegments } = await import('../../mining/segments/index.ts');
  const { parseNumeric } = await import('../../mining/table/index.ts');
  const names = spec.split(',').map((c) => c.trim());
  if (names.length !== 3)
    throw new AppError('USAGE', `--rfm takes three columns (recency,frequency,monetary), not "${spec}"`);
  const columns = names.map((name) => {
    const c = raw.header.indexOf(name);
    if (c === -1) throw new AppError('USAGE', `table has no column "${name}" (columns: ${raw.header.join(', ')})`);
    return Float64Array.from(raw.columns[c]!, parseNumeric);
  });
  const scores = rfmSegments(columns[0]!, columns[1]!, columns[2]!);
  return scores.map((s, r) => ({
    row: r + 1,
    r: s.recency,
    f: s.frequency,
    m: s.monetary,
    segment: s.segment as string,
  }));
}

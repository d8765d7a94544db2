// Generator throughput: rows/s and MB/s of `telmark generate` at a size that runs ~30-60 s, against
// a raw I/O ceiling measured in the same run (the same number of bytes of constant lines written
// with fs). `npm run bench -- generate [--subscribers N] [--days D] [--keep]`.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { generateDemoOperator } from '../src/demo/index.ts';
import { reportFigure, timeMs } from './report.ts';

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? Number(args[at + 1]) : fallback;
}

/** Writes `bytes` bytes of one repeated CSV line in 4 MB buffers: what the disk and fs can take. */
async function writeConstantLines(file: string, bytes: number): Promise<void> {
  const line = '2026-03-30 12:34:56.789,13812345678,call_out,9501-10012,13987654321,120\n';
  const block = Buffer.from(line.repeat(Math.floor((1 << 22) / line.length)));
  const stream = createWriteStream(file, { highWaterMark: 1 << 20 });
  for (let written = 0; written < bytes; written += block.length)
    if (!stream.write(written + block.length <= bytes ? block : block.subarray(0, bytes - written)))
      await once(stream, 'drain');
  stream.end();
  await finished(stream);
}

export async function run(args: string[]): Promise<void> {
  const subscribers = flag(args, '--subscribers', 300_000);
  const days = flag(args, '--days', 30);
  const dir = await mkdtemp(join(tmpdir(), 'telmark-bench-generate-'));
  try {
    let summary = { rows: 0, bytes: 0 };
    const generateMs = await timeMs(async () => {
      summary = await generateDemoOperator({
        outDir: join(dir, 'demo'),
        subscribers,
        days,
        start: '2026-03-01',
        seed: 12580,
        signallingDays: [days - 1],
        signallingPerSubscriber: 24,
        gzip: false,
      });
    });
    const rawMs = await timeMs(() => writeConstantLines(join(dir, 'constant.csv'), summary.bytes));
    const seconds = generateMs / 1000;
    const mbPerS = summary.bytes / 1e6 / seconds;
    const rawMbPerS = summary.bytes / 1e6 / (rawMs / 1000);
    console.log(
      `generate: ${subscribers} subscribers x ${days} days + 1 day of signalling: ${summary.rows} rows, ` +
        `${(summary.bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    reportFigure({ name: 'generate.rows_per_s', value: summary.rows / seconds, unit: 'rows/s' });
    reportFigure({
      name: 'generate.mb_per_s',
      value: mbPerS,
      unit: 'MB/s',
      baseline: 'fs write of constant lines',
      baselineValue: rawMbPerS,
      ratio: mbPerS / rawMbPerS,
    });
  } finally {
    if (!args.includes('--keep')) await rm(dir, { recursive: true, force: true });
  }
}

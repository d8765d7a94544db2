// Sending benchmark: messages per second from the outbox to the local SMSC (`telmark smsc` in its own
// process) with the full contact policy on (caps, control group, duplicates, checked at queue and
// before send, intent committed before every window), and the sender's memory. Baseline: a bare
// ESME loop submitting the same texts over the same link with the same window, no outbox, no policy.
// The sender runs twice on the same SMSC: first writing every status in one transaction per window
// (how it worked before the journal, `send.messages_per_s_one_tx_per_window`), then with the journal.
// `npm run bench -- send [--messages N] [--window N]` (the issue asks for 100,000; default 20,000).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import smpp from 'smpp';
import { outboxReasons, queueMessages, runSender } from '../src/channels/index.ts';
import { defaultConfig } from '../src/config/config.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { Warehouse } from '../src/warehouse/index.ts';
import { reportFigure } from './report.ts';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

async function startSmsc(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['bin/telmark.js', 'smsc', '--port', '0', '--receipt-delay', '200'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { port: (JSON.parse(first) as { port: number }).port, stop: () => child.kill('SIGTERM') };
}

/** The baseline: submit_sm as fast as the window allows, nothing written anywhere. */
async function bareEsme(port: number, texts: readonly string[], window: number): Promise<number> {
  const session = smpp.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => session.on('connect', () => resolve()));
  await new Promise((resolve) => session.bind_transceiver({ system_id: 'bench', password: 'bench' }, resolve));
  session.on('deliver_sm', (pdu) => session.send(pdu.response()));
  const started = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    let done = 0;
    const submit = () => {
      if (next >= texts.length) return;
      const i = next++;
      session.submit_sm(
        { source_addr: '10658000', destination_addr: `134${String(i).padStart(8, '0')}`, short_message: texts[i]! },
        () => {
          if (++done === texts.length) resolve();
          else submit();
        },
      );
    };
    for (let k = 0; k < window; k++) submit();
  });
  const rate = texts.length / ((performance.now() - started) / 1000);
  session.destroy();
  return rate;
}

interface SendRun {
  queued: number;
  queueRate: number;
  submitted: number;
  delivered: number;
  seconds: number;
  rssGrowthMb: number;
}

/** Queues `messages` into a fresh warehouse and sends them all to the SMSC, with or without the journal. */
async function sendBatch(
  dir: string,
  options: { port: number; messages: number; window: number; journal: boolean; texts: (i: number) => string },
): Promise<SendRun> {
  const warehouse = await Warehouse.open(join(dir, `send-${options.journal ? 'journal' : 'direct'}.duckdb`));
  try {
    // 10:00 local on a fixed day, so quiet hours (21:00–08:00, on) never defer the batch.
    const clock = fixedClock('2026-03-02T10:00:00+08:00');
    const config = structuredClone(defaultConfig.channels);
    const to = Array.from({ length: options.messages }, (_, i) => `133${String(i).padStart(8, '0')}`);
    const queueStarted = performance.now();
    const queued = await queueMessages(
      warehouse,
      {
        source: 'campaign',
        sourceRef: 'bench',
        messages: to.map((recipient, i) => ({ recipient, text: options.texts(i) })),
      },
      { config, clock },
    );
    const queueRate = options.messages / ((performance.now() - queueStarted) / 1000);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sample = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 100);
    const started = performance.now();
    const progress = await runSender({
      warehouse,
      config: { ...config, sms: { ...config.sms, receiptWaitSec: 2 } },
      clock,
      smsc: { host: '127.0.0.1', port: options.port, systemId: 'bench', password: 'bench' },
      window: options.window,
      tps: 1_000_000,
      once: true,
      pageSize: 2000,
      journal: options.journal,
    });
    clearInterval(sample);
    const seconds = (performance.now() - started) / 1000;
    const reasons = await outboxReasons(warehouse);
    console.log(
      `${options.journal ? 'journal' : 'one transaction per window'}: ${options.messages.toLocaleString('en')} messages, ` +
        `${queued.queued.toLocaleString('en')} queued, ${progress.submitted.toLocaleString('en')} submitted and ` +
        `${progress.delivered.toLocaleString('en')} delivered in ${seconds.toFixed(1)} s (receipts waited for); ` +
        `skipped: ${reasons.map((r) => `${r.status}/${r.reason} ${r.messages}`).join(', ') || 'none'}`,
    );
    return {
      queued: queued.queued,
      queueRate,
      submitted: progress.submitted,
      delivered: progress.delivered,
      seconds,
      rssGrowthMb: (rssPeak - rssBefore) / 1048576,
    };
  } finally {
    warehouse.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const messages = option(args, 'messages', 20_000);
  const window = option(args, 'window', 50);
  const dir = mkdtempSync(join(tmpdir(), 'telmark-bench-send-'));
  const smsc = await startSmsc();
  try {
    const texts = (i: number) => (i % 5 === 0 ? `河源12580：您的流量包优惠 ${i}` : `Telmark offer ${i}: 10 yuan`);
    // Before the journal (every status written in one transaction per window), then with it: same run, same SMSC.
    const direct = await sendBatch(dir, { port: smsc.port, messages, window, journal: false, texts });
    const journal = await sendBatch(dir, { port: smsc.port, messages, window, journal: true, texts });
    const baseline = await bareEsme(
      smsc.port,
      Array.from({ length: Math.min(messages, 20_000) }, (_, i) => texts(i)),
      window,
    );
    console.log(`window ${window}; a contended two-core machine`);
    reportFigure({ name: 'send.queue_per_s', value: journal.queueRate, unit: 'messages/s' });
    const directRate = direct.submitted / direct.seconds;
    reportFigure({
      name: 'send.messages_per_s_one_tx_per_window',
      value: directRate,
      unit: 'messages/s',
      baseline: 'bare ESME submit loop, same SMSC and window',
      baselineValue: baseline,
      ratio: directRate / baseline,
    });
    const sendRate = journal.submitted / journal.seconds;
    reportFigure({
      name: 'send.messages_per_s',
      value: sendRate,
      unit: 'messages/s',
      baseline: 'bare ESME submit loop, same SMSC and window',
      baselineValue: baseline,
      ratio: sendRate / baseline,
      target: '>= 1000',
    });
    reportFigure({ name: 'send.rss_growth_mb', value: journal.rssGrowthMb, unit: 'MB' });
  } finally {
    smsc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

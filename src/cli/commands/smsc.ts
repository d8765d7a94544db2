import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { loadContext } from '../lazy-context.ts';

interface SmscOptions {
  port: string;
  host: string;
  systemId?: string;
  password?: string;
  receiptDelay: string;
  failureRate: string;
  throttleEvery: string;
  responseDelay: string;
  log?: string;
}

export function registerSmscCommand(program: Command): void {
  program
    .command('smsc')
    .description(
      'a small local SMSC (SMPP v3.4) for the demo and for trying things; on stdin: "mo MSISDN TEXT" sends a reply, "drop" cuts the links, "stats" prints counters',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', '2775')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--system-id <id>', 'accept only this system id')
    .option('--password <pw>', 'accept only this password')
    .option('--receipt-delay <ms>', 'delivery receipts after this many milliseconds', '1000')
    .option('--failure-rate <share>', 'share of receipts that say UNDELIV', '0')
    .option('--throttle-every <n>', 'answer every Nth submit_sm with ESME_RTHROTTLED (0: never)', '0')
    .option('--response-delay <ms>', 'delay before each submit_sm_resp', '0')
    .option('--log <file>', 'append one JSON line per accepted submit_sm')
    .action(async (options: SmscOptions) => {
      const context = await loadContext(program.opts());
      const number = (flag: string, value: string, max = Number.POSITIVE_INFINITY) => {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0 || n > max)
          throw new AppError('USAGE', `${flag} must be a number from 0 to ${max}`);
        return n;
      };
      const { LocalSmsc } = await import('../../channels/index.ts');
      const smsc = new LocalSmsc({
        port: number('--port', options.port, 65535),
        host: options.host,
        systemId: options.systemId,
        password: options.password,
        receiptDelayMs: number('--receipt-delay', options.receiptDelay),
        failureRate: number('--failure-rate', options.failureRate, 1),
        throttleEvery: number('--throttle-every', options.throttleEvery),
        responseDelayMs: number('--response-delay', options.responseDelay),
        logFile: options.log,
      });
      const port = await smsc.start();
      // The port first, on stdout, so scripts and tests can read it.
      context.print(JSON.stringify({ port }));
      context.note(`local SMSC listening on ${options.host}:${port} (Ctrl-C to stop)`);
      const input = createInterface({ input: process.stdin });
      input.on('line', (line) => {
        const [command, msisdn, ...text] = line.trim().split(/\s+/);
        if (command === 'mo' && msisdn && text.length > 0) smsc.injectMo(msisdn, text.join(' '));
        else if (command === 'drop') smsc.dropLinks();
        else if (command === 'stats') context.print(JSON.stringify(smsc.stats));
        else if (command) context.note('commands: mo MSISDN TEXT | drop | stats');
      });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      input.close();
      await smsc.stop();
      context.note(`stopped: ${JSON.stringify(smsc.stats)}`);
    });
}

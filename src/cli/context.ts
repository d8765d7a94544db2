// What every command gets: the configuration, resolved once, and how to report.
import { type Config, loadConfig } from '../config/config.ts';
import { parseFormat, type OutputFormat } from './output.ts';
import { type Progress, terminalProgress } from './progress.ts';

export interface GlobalOptions {
  db?: string;
  format?: string;
  config?: string;
}

export interface CommandContext {
  config: Config;
  format: OutputFormat;
  progress: Progress;
  print(text: string): void;
  /** Raw text to stdout, for output written in chunks. */
  write(chunk: string): void;
  /** Human-readable notes that must not pollute json/csv on stdout. */
  note(text: string): void;
}

export function makeContext(options: GlobalOptions): CommandContext {
  const config = loadConfig({ file: options.config, flags: { db: options.db } });
  return {
    config,
    format: parseFormat(options.format),
    progress: terminalProgress(),
    print: (text) => {
      if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    write: (chunk) => {
      process.stdout.write(chunk);
    },
    note: (text) => process.stderr.write(`${text}\n`),
  };
}

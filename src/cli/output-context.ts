// What a command needs to report, without the configuration: `makeContext` (context.ts) adds the
// configuration, whose schema loads zod (~100 modules, a good part of a second on a busy machine).
// A command that reads only files, such as `telmark rules --baskets FILE`, can use this alone.
import { type OutputFormat, parseFormat } from './output.ts';
import { type Progress, terminalProgress } from './progress.ts';

export interface OutputContext {
  format: OutputFormat;
  progress: Progress;
  print(text: string): void;
  /** Raw text or bytes to stdout, for output written in chunks. */
  write(chunk: string | Uint8Array): void;
  /** Human-readable notes that must not pollute json/csv on stdout. */
  note(text: string): void;
}

export function makeOutputContext(options: { format?: string }): OutputContext {
  return {
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

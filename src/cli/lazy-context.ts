// The command context (configuration through zod, progress bar) for commands whose module is loaded
// at every start: importing it inside the action keeps `telmark --help` light.
import type { CommandContext, GlobalOptions } from './context.ts';

export async function loadContext(options: GlobalOptions): Promise<CommandContext> {
  const { makeContext } = await import('./context.ts');
  return makeContext(options);
}

// What a long benchmark must undo even when it is interrupted (Ctrl-C, kill, a closed terminal):
// clusters stopped by their process ids, child processes ended, temporary folders removed. Each piece
// of work registers its cleanup as it starts; the normal path runs it in its `finally`, a signal runs
// every cleanup still pending, newest first, and then exits. Without this a stopped 10-million-row run
// leaves gigabytes in /tmp and ClickHouse and NATS servers running on the machine.
type Cleanup = { name: string; work: () => Promise<unknown> | unknown };

const pending: Cleanup[] = [];
let signalled = false;

/** Registers a cleanup; the returned function runs it now (once) and forgets it. */
export function onCleanup(name: string, work: () => Promise<unknown> | unknown): () => Promise<void> {
  installHandlers();
  const entry: Cleanup = { name, work };
  pending.push(entry);
  return async () => {
    const at = pending.indexOf(entry);
    if (at < 0) return;
    pending.splice(at, 1);
    await entry.work();
  };
}

let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void interrupted(signal));
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  if (signalled) return;
  signalled = true;
  // Ending a child makes the benchmark's own code fail (its command "exited with null"): that failure
  // must not end the process before the cleanups below have run.
  process.on('uncaughtException', () => undefined);
  process.on('unhandledRejection', () => undefined);
  process.stderr.write(`\n${signal}: cleaning up (${pending.map((c) => c.name).join(', ') || 'nothing'})\n`);
  // Newest first: processes before the folders they write into.
  for (const cleanup of pending.splice(0).reverse()) {
    try {
      await cleanup.work();
    } catch (error) {
      process.stderr.write(`cleanup ${cleanup.name} failed: ${(error as Error).message}\n`);
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

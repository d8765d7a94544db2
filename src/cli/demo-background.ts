// What `telmark demo` does after the server listens, so that a first start serves as soon as the
// data is loaded: the demo campaigns first (they send through their own local SMSC and load their
// answer files, so the live replay and its sender wait for them: one outbox, one contact policy),
// then the live replay and its sender, and the missing models, trained on the mining worker. The longest event-loop stall over all of it is noted at the end (perf_hooks), so a
// regression that freezes the server shows up in the output.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChannelsConfig } from '../channels/index.ts';
import { systemClock } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';

export interface DemoBackground {
  /** Settles when every step has run (or stopped); never rejects: failures are noted. */
  done: Promise<void>;
  /** Ctrl+C: the campaigns stop at their next step; a training on the worker is terminated; the replay and the sender stop. */
  stop(): Promise<void>;
}

export interface DemoBackgroundOptions {
  warehouse: Warehouse;
  demoDir: string;
  channels: ChannelsConfig;
  campaigns: boolean;
  /** Starts the live replay and its sender; returns how to stop them. */
  startLive?: () => Promise<{ stop(): Promise<void> }>;
  note: (text: string) => void;
}

export function startDemoBackground(options: DemoBackgroundOptions): DemoBackground {
  const { warehouse, note } = options;
  const controller = new AbortController();
  const stall = monitorEventLoopDelay({ resolution: 10 });
  stall.enable();
  const started = performance.now();
  let live: { stop(): Promise<void> } | undefined;

  const campaigns = async () => {
    if (!options.campaigns) return;
    const { runDemoCampaigns } = await import('../campaigns/index.ts');
    // A connection of its own: its load and sender transactions never wrap the server's reads.
    const connection = await warehouse.connectAnother();
    try {
      const made = await runDemoCampaigns(connection, {
        demoDir: options.demoDir,
        channels: options.channels,
        note,
        signal: controller.signal,
      });
      if (made)
        note(
          `demo campaigns ready: ${made.finished} in the knowledge base, ${made.running} running (/campaigns); longest event-loop stall so far ${(stall.max / 1e6).toFixed(0)} ms`,
        );
    } catch (error) {
      note(
        controller.signal.aborted
          ? 'demo campaigns interrupted; the next start makes them again'
          : `demo campaigns stopped: ${String(error)}`,
      );
    } finally {
      connection.close();
    }
  };

  const done = (async () => {
    await campaigns();
    if (controller.signal.aborted) return;
    if (options.startLive) live = await options.startLive();
    // After the campaigns, as before serving moved ahead: the models see the same warehouse, so they
    // come out the same. The worker does their CPU work; the server keeps answering.
    const { trainMissingModels } = await import('../mining/telecom/index.ts');
    await trainMissingModels(warehouse, { clock: systemClock, note, signal: controller.signal }).catch(
      (error: unknown) =>
        note(
          isAppError(error) && error.code === 'INTERRUPTED'
            ? 'model training interrupted; the next start trains the missing models again'
            : `model training stopped: ${String(error)}`,
        ),
    );
    if (controller.signal.aborted) return;
    note(
      `background work done in ${((performance.now() - started) / 1000).toFixed(1)} s; longest event-loop stall ${(stall.max / 1e6).toFixed(0)} ms`,
    );
  })()
    .catch((error: unknown) => note(`demo background work stopped: ${String(error)}`))
    .finally(() => stall.disable());

  return {
    done,
    async stop() {
      controller.abort();
      await done;
      await live?.stop();
    },
  };
}

// `telmark serve`'s alert timer: every few seconds, replies to alert SMS are judged (an on-call
// person's "确认" acknowledges), then routing runs (new anomalies go out, grouped and de-duplicated;
// repeats and escalations fall due; silences lapse). One tick at a time; a failing tick is reported
// and the next one tries again, so a locked table or a full disk never stops alerting for good.
import type { ChannelsConfig } from '../channels/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { acknowledgeReplies, type ReplyJudgement } from './acknowledge-replies.ts';
import { runAlertRouting } from './run-alert-routing.ts';

export interface AlertTimerOptions {
  clock: Clock;
  everyMs: number;
  ackWords: readonly string[];
  channels: ChannelsConfig;
  ackUrl?: string;
  /** Told after each tick: what was acknowledged, how many groups and messages routing left. */
  onTick?: (tick: AlertTick) => void;
  onError?: (error: unknown) => void;
}

export interface AlertTick {
  replies: ReplyJudgement[];
  groups: number;
  messages: number;
}

export interface AlertTimer {
  /** Runs one tick now (after the one in progress, if any). */
  tick(): Promise<AlertTick | undefined>;
  stop(): Promise<void>;
}

export function startAlertTimer(warehouse: Warehouse, options: AlertTimerOptions): AlertTimer {
  let running: Promise<AlertTick | undefined> = Promise.resolve(undefined);
  let stopped = false;
  const once = async (): Promise<AlertTick | undefined> => {
    if (stopped) return undefined;
    try {
      const replies = await acknowledgeReplies(warehouse, { clock: options.clock, ackWords: options.ackWords });
      const routed = await runAlertRouting(warehouse, {
        clock: options.clock,
        channels: options.channels,
        ackUrl: options.ackUrl,
      });
      const tick = { replies, ...routed };
      options.onTick?.(tick);
      return tick;
    } catch (error) {
      options.onError?.(error);
      return undefined;
    }
  };
  const tick = () => {
    running = running.then(once);
    return running;
  };
  let busy = false;
  // A tick slower than the interval is not queued behind itself: the next interval simply skips.
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void tick().finally(() => {
      busy = false;
    });
  }, options.everyMs);
  timer.unref();
  return {
    tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

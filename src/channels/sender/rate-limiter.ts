// Spaces submissions to at most `perSecond`, with a small burst so timers' coarseness does not cost rate.
export class RateLimiter {
  private nextAtMs = 0;
  private readonly gapMs: number;

  constructor(perSecond: number) {
    this.gapMs = 1000 / perSecond;
  }

  async take(): Promise<void> {
    const now = performance.now();
    // Allow up to 50 ms of credit to build up, no more.
    this.nextAtMs = Math.max(this.nextAtMs, now - 50);
    const wait = this.nextAtMs - now;
    this.nextAtMs += this.gapMs;
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

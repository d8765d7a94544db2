// The answer of an API-token check, kept for a few seconds in this process: a script sends the same token
// on every request, and the check was one DuckDB read of each (a tenth of a profile request's CPU, issue 15).
// The API keeps its session checks in a second cache of this kind: the agent page sends its session
// cookie with every request. Nothing that takes a token's or a session's power away waits for the
// lifetime: revoking a token, signing out, disabling a user and changing a user's roles or password all
// go through this module's functions (accounts.ts, api-tokens.ts, sessions.ts) and call
// forgetTokenChecks(), which empties every cache of the process at once. While a
// server runs it owns the warehouse (DESIGN.md: one owner at a time), so those changes reach it through
// its own API, in this process; the lifetime bounds what a writer elsewhere could leave stale, and an
// expiry is checked against the clock on every use.
import type { Clock } from '../shared/clock.ts';
import type { Principal } from './principal.ts';

interface Kept {
  principal: Principal;
  expiresMs: number;
  keptUntilMs: number;
}

/** Bumped by every change to users or tokens; a cache made before the bump drops what it kept. */
let generation = 0;

/** Call after any change that can take a token's power away (revoke, disable, roles, password). */
export function forgetTokenChecks(): void {
  generation++;
}

export interface TokenCheckCacheOptions {
  /** How long a check is trusted (default 5 s). */
  lifetimeMs?: number;
  /** Most tokens kept at once (default 1,000): a guard against a flood of made-up tokens. */
  maxTokens?: number;
}

export class TokenCheckCache {
  private readonly kept = new Map<string, Kept>();
  private seen = generation;
  private readonly lifetimeMs: number;
  private readonly maxTokens: number;

  constructor(
    private readonly clock: Clock,
    options: TokenCheckCacheOptions = {},
  ) {
    this.lifetimeMs = options.lifetimeMs ?? 5000;
    this.maxTokens = options.maxTokens ?? 1000;
  }

  /** The kept principal of the token's hash, when still valid; undefined means: check it again. */
  get(tokenHash: string): Principal | undefined {
    this.dropIfChanged();
    const found = this.kept.get(tokenHash);
    if (!found) return undefined;
    const now = this.clock.nowMs();
    if (now >= found.keptUntilMs || now >= found.expiresMs) {
      this.kept.delete(tokenHash);
      return undefined;
    }
    return found.principal;
  }

  /**
   * Keeps a successful check. Only valid tokens are kept (a refused one is checked again each time, so a
   * token created a moment ago works at once). `generationAtRead` is the generation when the read began:
   * a change made while the read was under way must not let its answer be kept.
   */
  set(tokenHash: string, principal: Principal, expiresMs: number, generationAtRead: number): void {
    if (generationAtRead !== generation) return;
    this.dropIfChanged();
    if (this.kept.size >= this.maxTokens) this.kept.clear();
    this.kept.set(tokenHash, { principal, expiresMs, keptUntilMs: this.clock.nowMs() + this.lifetimeMs });
  }

  /** The generation to pass back to set() for a read that begins now. */
  static generation(): number {
    return generation;
  }

  private dropIfChanged(): void {
    if (this.seen === generation) return;
    this.kept.clear();
    this.seen = generation;
  }
}

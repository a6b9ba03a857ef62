// Per-token request counting in fixed 10-second windows, globally and per route (URL pattern + verb).

export interface RateLimitDecision {
  limited: boolean;
  /** Remaining requests in the window; undefined when that limit is off (0). */
  globalRemaining: number | undefined;
  routeRemaining: number | undefined;
  /** Epoch ms at which the token's window resets. */
  resetAt: number;
}

export interface RateLimiter {
  hit(tokenId: string, route: string, now: number): RateLimitDecision | Promise<RateLimitDecision>;
  close?(): Promise<void>;
}

export const WINDOW_MS = 10_000;

interface Window {
  start: number;
  global: number;
  routes: Map<string, number>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    private readonly globalLimit: number,
    private readonly routeLimit: number,
  ) {}

  get trackedTokens(): number {
    return this.windows.size;
  }

  hit(tokenId: string, route: string, now: number): RateLimitDecision {
    this.sweep(now);
    let window = this.windows.get(tokenId);
    if (!window || ended(window, now)) {
      window = { start: now, global: 0, routes: new Map() };
      this.windows.set(tokenId, window);
    }
    const routeCount = window.routes.get(route) ?? 0;
    const overGlobal = this.globalLimit > 0 && window.global >= this.globalLimit;
    const overRoute = this.routeLimit > 0 && routeCount >= this.routeLimit;
    const limited = overGlobal || overRoute;
    if (!limited) {
      window.global += 1;
      window.routes.set(route, routeCount + 1);
    }
    return {
      limited,
      globalRemaining: this.globalLimit > 0 ? Math.max(0, this.globalLimit - window.global) : undefined,
      routeRemaining: this.routeLimit > 0 ? Math.max(0, this.routeLimit - (window.routes.get(route) ?? 0)) : undefined,
      resetAt: window.start + WINDOW_MS,
    };
  }

  /** Memory stays bounded: a window is forgotten once it has ended. */
  private sweep(now: number): void {
    if (now >= this.lastSweep && now - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = now;
    for (const [token, window] of this.windows) {
      if (ended(window, now)) this.windows.delete(token);
    }
  }
}

/**
 * A window ends 10 s after it started, or at once if the clock has stepped back before its start (an NTP
 * correction): otherwise a token would stay limited, and its entry unswept, for as long as the step.
 */
function ended(window: Window, now: number): boolean {
  return now >= window.start + WINDOW_MS || now < window.start;
}

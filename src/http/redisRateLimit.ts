// Rate limits shared by every instance through Redis: the same windows and headers as MemoryRateLimiter.
import type { createClient } from 'redis';
import type { Config } from '../config.js';
import { MemoryRateLimiter, WINDOW_MS, type RateLimitDecision, type RateLimiter } from './rateLimit.js';

/**
 * One round trip, atomic: the token's window is one hash (s = start, g = global count, r:<route> = route
 * counts) that lives one window. As in MemoryRateLimiter, a window starts at the token's first request, a
 * refused request does not count, and the remaining figures are those after this request.
 * KEYS[1] the token's hash; ARGV now, route field, global limit, route limit, window ms.
 */
const HIT_SCRIPT = `
local start = tonumber(redis.call('HGET', KEYS[1], 's'))
if (not start) or tonumber(ARGV[1]) >= start + tonumber(ARGV[5]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 's', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  start = tonumber(ARGV[1])
end
local g = tonumber(redis.call('HGET', KEYS[1], 'g') or '0')
local r = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
local gl = tonumber(ARGV[3])
local rl = tonumber(ARGV[4])
if (gl > 0 and g >= gl) or (rl > 0 and r >= rl) then
  return {1, g, r, start}
end
g = redis.call('HINCRBY', KEYS[1], 'g', 1)
r = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
return {0, g, r, start}
`;

export interface RedisLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RedisRateLimiterOptions {
  url: string;
  keyPrefix: string;
  globalLimit: number;
  routeLimit: number;
  /** A call slower than this counts as Redis being down. */
  timeoutMs: number;
  log: RedisLogger;
}

type Client = ReturnType<typeof createClient>;

/** Shared limits through Redis when REDIS_URL is set (start-up fails if it is unreachable); else this process's own. */
export async function openRateLimiter(config: Config, log: RedisLogger): Promise<RateLimiter> {
  if (!config.redisUrl) return new MemoryRateLimiter(config.rateLimitGlobalPer10s, config.rateLimitRoutePer10s);
  return RedisRateLimiter.connect({
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    globalLimit: config.rateLimitGlobalPer10s,
    routeLimit: config.rateLimitRoutePer10s,
    timeoutMs: config.redisTimeoutMs,
    log,
  });
}

export class RedisUnavailableError extends Error {}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Redis down at start-up stops start-up (RedisUnavailableError). Redis lost later fails open: requests are
 * served without limits (and without rate-limit headers), with one warning when it goes and a note when it
 * is back; the client reconnects by itself.
 */
export class RedisRateLimiter implements RateLimiter {
  private sha: string | undefined;
  private ready = false;
  private failing = false;
  /** Requests served unlimited because Redis did not answer (a metric). */
  failOpen = 0;

  private constructor(
    private readonly client: Client,
    private readonly options: RedisRateLimiterOptions,
  ) {}

  static async connect(options: RedisRateLimiterOptions): Promise<RedisRateLimiter> {
    let connected = false;
    // Imported here, not at the top: a process without REDIS_URL never loads the client (~4 MB of heap).
    const { createClient } = await import('redis');
    const client: Client = createClient({
      url: options.url,
      // A command sent while disconnected fails at once (and the request is served) rather than waiting.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: Math.max(options.timeoutMs, 2_000),
        // Before the first connection, give up at once (start-up fails); afterwards retry forever with backoff.
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2_000) : cause),
      },
    });
    const limiter = new RedisRateLimiter(client, options);
    client.on('error', (err: Error) => limiter.trouble(err));
    try {
      await client.connect();
      connected = true;
      limiter.sha = await client.scriptLoad(HIT_SCRIPT);
      limiter.ready = true;
    } catch (err) {
      try {
        client.destroy();
      } catch {
        // never opened: nothing to close
      }
      throw new RedisUnavailableError(
        `REDIS_URL ${redactUrl(options.url)} is unreachable (${(err as Error).message || String(err)}); ` +
          'with REDIS_URL set, rate limits are shared through Redis and iterlab does not start without it. ' +
          'Start Redis, fix REDIS_URL, or unset it to limit each instance on its own',
      );
    }
    return limiter;
  }

  async hit(tokenId: string, route: string, now: number): Promise<RateLimitDecision> {
    try {
      const [limited, global, routeCount, start] = await this.withTimeout(this.run(tokenId, route, now));
      if (this.failing) {
        this.failing = false;
        this.options.log.info({}, 'Redis answers again: shared rate limits apply again');
      }
      const { globalLimit, routeLimit } = this.options;
      return {
        limited: limited === 1,
        globalRemaining: globalLimit > 0 ? Math.max(0, globalLimit - global) : undefined,
        routeRemaining: routeLimit > 0 ? Math.max(0, routeLimit - routeCount) : undefined,
        resetAt: start + WINDOW_MS,
      };
    } catch (err) {
      this.failOpen += 1;
      this.trouble(err as Error);
      return { limited: false, globalRemaining: undefined, routeRemaining: undefined, resetAt: now + WINDOW_MS };
    }
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => this.client.destroy());
  }

  private async run(tokenId: string, route: string, now: number): Promise<[number, number, number, number]> {
    const args = {
      keys: [`${this.options.keyPrefix}rl:${tokenId}`],
      arguments: [String(now), `r:${route}`, String(this.options.globalLimit), String(this.options.routeLimit), String(WINDOW_MS)],
    };
    let reply: unknown;
    try {
      reply = await this.client.evalSha(this.sha ?? '', args);
    } catch (err) {
      // Redis restarted (or its script cache was flushed): send the script itself, which caches it again.
      if (!/NOSCRIPT/.test(String((err as Error).message))) throw err;
      reply = await this.client.eval(HIT_SCRIPT, args);
    }
    return (reply as unknown[]).map(Number) as [number, number, number, number];
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Logs once per outage, not once per request. */
  private trouble(err: Error): void {
    if (this.failing || !this.ready) return;
    this.failing = true;
    this.options.log.warn({ err: { message: err.message } }, 'Redis is unreachable: serving requests WITHOUT rate limits until it answers again');
  }
}

// Rate limits per token, global and per route, in 10-second windows of a controllable clock.
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, WINDOW_MS } from '../src/http/rateLimit.js';
import { insertToken, mintToken } from '../src/resources/tokens/tokens.js';
import type { Role } from '../src/http/context.js';
import { startServer, type Response, type TestServer } from './support/server.js';

const T0 = 1_800_000_000_000;

function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

async function newToken(s: TestServer, role: Role = 'reader'): Promise<string> {
  const value = mintToken();
  await insertToken(s.store.db, s.deps.accountId, value, { name: 'rate limit test', role }, s.deps.now());
  return value;
}

function remaining(res: Response): { global: number | undefined; route: number | undefined; reset: number | undefined } {
  const num = (h: string) => (res.headers[h] === undefined ? undefined : Number(res.headers[h]));
  return { global: num('x-ratelimit-global-remaining'), route: num('x-ratelimit-route-remaining'), reset: num('x-ratelimit-reset') };
}

function expectLimited(res: Response, retryAfterSeconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ code: 'rate_limited', message: "You've exceeded the API rate limit. Try again later." });
  expect(res.headers['retry-after']).toBe(String(retryAfterSeconds));
}

describe('rate limits: global 6 and per route 4 per token per 10 s', () => {
  const c = clock();
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ now: c.now, env: { RATE_LIMIT_GLOBAL_PER_10S: '6', RATE_LIMIT_ROUTE_PER_10S: '4' } });
    const admin = await newToken(s, 'admin');
    expect((await s.post('/api/v2/projects', { key: 'rl', name: 'RL' }, { token: admin })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('counts down on every authenticated response and answers 429 exactly past the route limit', async () => {
    c.set(T0 + 1_000);
    const token = await newToken(s);
    const seen = [];
    // Whatever the status (200, 404, 400), the request counts and carries the headers.
    for (const path of ['/api/v2/projects', '/api/v2/projects?limit=oops', '/api/v2/projects', '/api/v2/projects']) {
      const res = await s.get(path, { token });
      expect(res.status).toBeLessThan(429);
      seen.push(remaining(res));
    }
    expect(seen).toEqual([
      { global: 5, route: 3, reset: T0 + 11_000 },
      { global: 4, route: 2, reset: T0 + 11_000 },
      { global: 3, route: 1, reset: T0 + 11_000 },
      { global: 2, route: 0, reset: T0 + 11_000 },
    ]);
    const limited = await s.get('/api/v2/projects', { token });
    expectLimited(limited, 10);
    // A refused request does not use up the global budget.
    expect(remaining(limited)).toEqual({ global: 2, route: 0, reset: T0 + 11_000 });

    // Other routes of the same token still have their own budget (HEAD is a route of its own).
    const other = await s.get('/api/v2/projects/rl', { token });
    expect(other.status).toBe(200);
    expect(remaining(other)).toEqual({ global: 1, route: 3, reset: T0 + 11_000 });
    expect(remaining(await s.request('HEAD', '/api/v2/projects', { token }))).toEqual({ global: 0, route: 3, reset: T0 + 11_000 });
  });

  it('answers 429 exactly past the global limit, on any route, and Retry-After counts down with the clock', async () => {
    c.set(T0 + 20_000);
    const token = await newToken(s);
    const paths = ['/api/v2/projects', '/api/v2/projects/rl', '/api/v2/projects/rl/environments'];
    for (let i = 0; i < 6; i++) expect((await s.get(paths[i % 3], { token })).status).toBe(200);
    for (const path of [...paths, '/api/v2/projects/rl/experimentation-settings']) {
      const res = await s.get(path, { token });
      expectLimited(res, 10);
      expect(remaining(res).global).toBe(0);
    }
    c.advance(3_500);
    expectLimited(await s.get('/api/v2/projects', { token }), 7);
    c.advance(6_499);
    expectLimited(await s.get('/api/v2/projects', { token }), 1);
  });

  it('limits per token: another token is unaffected', async () => {
    c.set(T0 + 40_000);
    const [a, b] = [await newToken(s), await newToken(s)];
    for (let i = 0; i < 4; i++) await s.get('/api/v2/projects', { token: a });
    expect((await s.get('/api/v2/projects', { token: a })).status).toBe(429);
    const res = await s.get('/api/v2/projects', { token: b });
    expect(res.status).toBe(200);
    expect(remaining(res)).toEqual({ global: 5, route: 3, reset: T0 + 50_000 });
  });

  it('resets the window 10 s after it started', async () => {
    c.set(T0 + 60_000);
    const token = await newToken(s);
    for (let i = 0; i < 4; i++) await s.get('/api/v2/projects', { token });
    c.advance(WINDOW_MS - 1);
    expectLimited(await s.get('/api/v2/projects', { token }), 1);
    c.advance(1);
    const res = await s.get('/api/v2/projects', { token });
    expect(res.status).toBe(200);
    expect(remaining(res)).toEqual({ global: 5, route: 3, reset: T0 + 70_000 + WINDOW_MS });
  });

  it('a clock stepped back (NTP) does not keep a token limited until the clock catches up', async () => {
    c.set(T0 + 3_600_000);
    const token = await newToken(s);
    for (let i = 0; i < 4; i++) await s.get('/api/v2/projects', { token });
    expect((await s.get('/api/v2/projects', { token })).status).toBe(429);
    c.set(T0 + 3_600_000 - 60_000);
    const res = await s.get('/api/v2/projects', { token });
    expect(res.status).toBe(200);
    expect(remaining(res).reset).toBe(T0 + 3_600_000 - 60_000 + WINDOW_MS);
  });

  it('unauthenticated requests are answered 401 without rate-limit headers', async () => {
    const res = await s.get('/api/v2/projects', { token: null });
    expect(res.status).toBe(401);
    expect(remaining(res)).toEqual({ global: undefined, route: undefined, reset: undefined });
  });
});

/** A server with the given limits on a fresh clock, closed after `fn`. */
async function withLimits(global: number, route: number, fn: (s: TestServer) => Promise<void>): Promise<void> {
  const s = await startServer({ now: clock().now, env: { RATE_LIMIT_GLOBAL_PER_10S: String(global), RATE_LIMIT_ROUTE_PER_10S: String(route) } });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

describe('rate limits: 0 means unlimited', () => {
  it('global 0: no global header; the route limit still applies', () =>
    withLimits(0, 3, async (s) => {
      for (let i = 0; i < 3; i++) {
        const res = await s.get('/api/v2/projects', { token: s.tokens.reader });
        expect(res.status).toBe(200);
        expect(remaining(res)).toEqual({ global: undefined, route: 2 - i, reset: T0 + WINDOW_MS });
        expect(res.headers).not.toHaveProperty('x-ratelimit-global-remaining');
      }
      expectLimited(await s.get('/api/v2/projects', { token: s.tokens.reader }), 10);
    }));

  it('route 0: no route header; the global limit still applies', () =>
    withLimits(2, 0, async (s) => {
      expect(remaining(await s.get('/api/v2/projects', { token: s.tokens.reader }))).toEqual({ global: 1, route: undefined, reset: T0 + WINDOW_MS });
      expect(remaining(await s.get('/api/v2/projects', { token: s.tokens.reader }))).toEqual({ global: 0, route: undefined, reset: T0 + WINDOW_MS });
      expectLimited(await s.get('/api/v2/projects', { token: s.tokens.reader }), 10);
    }));

  it('both 0: no rate-limit headers at all and no 429', () =>
    withLimits(0, 0, async (s) => {
      for (let i = 0; i < 200; i++) {
        const res = await s.get('/api/v2/projects', { token: s.tokens.reader });
        expect(res.status).toBe(200);
        expect(remaining(res)).toEqual({ global: undefined, route: undefined, reset: undefined });
        expect(res.headers['retry-after']).toBeUndefined();
      }
    }));
});

describe('MemoryRateLimiter: memory stays bounded', () => {
  /** A real gc, so the heap figures printed mean something (vitest does not start node with --expose-gc). */
  function gc(): () => void {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  }

  it('100,000 distinct tokens are forgotten once their windows end', () => {
    const collect = gc();
    const limiter = new MemoryRateLimiter(100, 10);
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) limiter.hit(`token-${i}`, 'GET /api/v2/projects', T0 + (i % 1000));
    expect(limiter.trackedTokens).toBe(100_000);
    collect();
    const full = process.memoryUsage().heapUsed;
    // Still inside the windows: nothing may be dropped.
    limiter.hit('late', 'GET /api/v2/projects', T0 + WINDOW_MS - 1);
    expect(limiter.trackedTokens).toBe(100_001);
    // The sweep runs at most once a window; 10 s after the last start every earlier window has ended.
    limiter.hit('after', 'GET /api/v2/projects', T0 + 2 * WINDOW_MS);
    expect(limiter.trackedTokens).toBe(1);
    collect();
    const after = process.memoryUsage().heapUsed;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(`rate limiter: 100,000 tokens took ${mb(full - before)} MB of heap; after the sweep ${mb(after - before)} MB remain`);
    expect(after - before).toBeLessThan((full - before) / 4);
  });

  it('a clock stepped back still sweeps (entries do not outlive the step)', () => {
    const limiter = new MemoryRateLimiter(100, 10);
    for (let i = 0; i < 1000; i++) limiter.hit(`token-${i}`, 'GET /x', T0);
    limiter.hit('stepped-back', 'GET /x', T0 - 3_600_000);
    expect(limiter.trackedTokens).toBe(1);
  });
});

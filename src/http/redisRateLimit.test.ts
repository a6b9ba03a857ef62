// RedisRateLimiter: MemoryRateLimiter's decisions exactly, one budget across instances, start-up and outage behaviour.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REDIS_URL_FOR_TESTS, redisAvailable, uniquePrefix } from '../../test/support/redis.js';
import { testDb } from '../../test/support/db.js';
import { sharedDatabase } from '../../test/support/server.js';
import { MemoryRateLimiter } from './rateLimit.js';
import { RedisRateLimiter, RedisUnavailableError, type RedisRateLimiterOptions } from './redisRateLimit.js';

const redisUp = await redisAvailable();

const quiet = { info: vi.fn(), warn: vi.fn() };

describe.skipIf(!redisUp)('RedisRateLimiter', () => {
  const opened: RedisRateLimiter[] = [];
  const closers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const limiter of opened.splice(0)) await limiter.close();
    for (const close of closers.splice(0)) await close();
    vi.clearAllMocks();
  });

  async function limiter(options: Partial<RedisRateLimiterOptions> = {}): Promise<RedisRateLimiter> {
    const l = await RedisRateLimiter.connect({
      url: REDIS_URL_FOR_TESTS,
      keyPrefix: uniquePrefix('rl'),
      globalLimit: 5,
      routeLimit: 3,
      timeoutMs: 500,
      log: quiet,
      ...options,
    });
    opened.push(l);
    return l;
  }

  it('decides exactly as MemoryRateLimiter: limits, remaining counts, refusals not counted, window reset', async () => {
    const redis = await limiter();
    const memory = new MemoryRateLimiter(5, 3);
    const t0 = 1_700_000_000_000;
    const script: [string, string, number][] = [
      ['tok-a', 'GET /a', 0],
      ['tok-a', 'GET /a', 1],
      ['tok-a', 'GET /a', 2],
      ['tok-a', 'GET /a', 3], // route limit reached
      ['tok-a', 'POST /a', 4],
      ['tok-b', 'GET /a', 5], // another token, its own window
      ['tok-a', 'POST /a', 6], // global limit reached at 5
      ['tok-a', 'GET /b', 7],
      ['tok-a', 'GET /b', 9_999],
      ['tok-a', 'GET /a', 10_000], // new window
      ['tok-a', 'GET /a', 10_001],
      ['tok-b', 'GET /a', 10_004],
      ['tok-b', 'GET /a', 10_005], // tok-b's window started at +5, so it resets here
    ];
    for (const [token, route, offset] of script) {
      const expected = memory.hit(token, route, t0 + offset);
      expect(await redis.hit(token, route, t0 + offset), `${token} ${route} +${offset}`).toEqual(expected);
    }
  });

  it('two instances share one budget', async () => {
    const keyPrefix = uniquePrefix('shared');
    const a = await limiter({ keyPrefix });
    const b = await limiter({ keyPrefix });
    const now = Date.now();
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push(await (i % 2 === 0 ? a : b).hit('tok', `GET /r${i}`, now + i));
    expect(seen.map((d) => d.globalRemaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(seen.map((d) => d.limited)).toEqual([false, false, false, false, false, true]);
    expect(new Set(seen.map((d) => d.resetAt))).toEqual(new Set([now + 10_000]));
  });

  it('is atomic: concurrent hits from two instances never exceed the budget', async () => {
    const keyPrefix = uniquePrefix('race');
    const a = await limiter({ keyPrefix, globalLimit: 50, routeLimit: 0 });
    const b = await limiter({ keyPrefix, globalLimit: 50, routeLimit: 0 });
    const now = Date.now();
    const all = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? a : b).hit('tok', 'GET /x', now)));
    expect(all.filter((d) => !d.limited)).toHaveLength(50);
    expect(all.every((d) => d.routeRemaining === undefined)).toBe(true);
  });

  it('refuses to start when Redis is unreachable, naming REDIS_URL', async () => {
    const port = await closedPort();
    const error = await RedisRateLimiter.connect({ url: `redis://user:secret@127.0.0.1:${port}`, keyPrefix: 'x:', globalLimit: 1, routeLimit: 1, timeoutMs: 200, log: quiet }).catch((e) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.message).toMatch(new RegExp(`^REDIS_URL redis://\\*\\*\\*@127\\.0\\.0\\.1:${port} is unreachable \\(.*ECONNREFUSED`));
    expect(error.message).not.toContain('secret');
    expect(error.message).toContain('unset it to limit each instance on its own');
  });

  it('fails open while Redis is gone (one warning, no headers), and limits again once it is back', async () => {
    const proxy = await tcpProxy(REDIS_URL_FOR_TESTS);
    closers.push(() => proxy.stop());
    const l = await limiter({ url: `redis://127.0.0.1:${proxy.port}`, globalLimit: 2, routeLimit: 0, timeoutMs: 200 });
    const now = Date.now();
    expect((await l.hit('tok', 'GET /x', now)).globalRemaining).toBe(1);
    await proxy.stop();
    const during = [await l.hit('tok', 'GET /x', now), await l.hit('tok', 'GET /x', now), await l.hit('tok', 'GET /x', now)];
    expect(during.every((d) => !d.limited && d.globalRemaining === undefined && d.routeRemaining === undefined)).toBe(true);
    expect(l.failOpen).toBe(3);
    expect(quiet.warn).toHaveBeenCalledTimes(1);
    expect(quiet.warn.mock.calls[0][1]).toMatch(/WITHOUT rate limits/);
    await proxy.start();
    await vi.waitFor(async () => expect((await l.hit('tok', 'GET /x', now)).globalRemaining).toBe(0), { timeout: 5000, interval: 100 });
    expect((await l.hit('tok', 'GET /x', now)).limited).toBe(true);
    expect(quiet.info).toHaveBeenCalledWith({}, expect.stringMatching(/apply again/));
  });
});

describe.skipIf(!redisUp)('an app with REDIS_URL', () => {
  const instances = sharedDatabase(testDb);
  afterEach(() => instances.close());

  it('answers 429 with the usual headers once the shared budget is spent', async () => {
    const s = await instances.start({ env: { REDIS_URL: REDIS_URL_FOR_TESTS, REDIS_KEY_PREFIX: uniquePrefix('app'), RATE_LIMIT_GLOBAL_PER_10S: '2' } });
    expect((await s.get('/api/v2/projects')).headers['x-ratelimit-global-remaining']).toBe('1');
    expect((await s.get('/api/v2/projects')).headers['x-ratelimit-global-remaining']).toBe('0');
    const refused = await s.get('/api/v2/projects');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await s.get('/metrics')).body).toMatch(/^iterlab_rate_limit_rejections_total 1$/m);
  });

  it.skipIf(testDb !== 'postgres')('two instances on one database count one token against one budget', async () => {
    const env = { REDIS_URL: REDIS_URL_FOR_TESTS, REDIS_KEY_PREFIX: uniquePrefix('apps'), RATE_LIMIT_GLOBAL_PER_10S: '4' };
    const a = await instances.start({ env });
    const b = await instances.start({ env });
    const token = a.tokens.reader;
    const statuses = [];
    for (const s of [a, b, a, b, a, b]) statuses.push((await s.get('/api/v2/projects', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP relay to Redis that the test can take down and bring back on the same port. */
async function tcpProxy(target: string) {
  const url = new URL(target);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = async () => {
    server = net.createServer((inbound) => {
      const outbound = net.connect(Number(url.port || 6379), url.hostname);
      sockets.add(inbound).add(outbound);
      inbound.pipe(outbound).pipe(inbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  const stop = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await start();
  return { port, start, stop };
}

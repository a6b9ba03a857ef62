import { describe, expect, it } from 'vitest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LocalChangeBus } from '../store/changes.js';
import { ResponseCache } from './responseCache.js';

function call(cache: ResponseCache, url: string, compute: () => Promise<{ projectId: string; value: unknown }>) {
  const request = { apiVersion: '20240415', url } as FastifyRequest;
  const sent: { body?: string } = {};
  // The cache sends its JSON as bytes (encoded once), or as text when it computes without keeping.
  const reply = { type: () => reply, send: (body: string | Buffer) => ((sent.body = body.toString()), reply) } as unknown as FastifyReply;
  return cache.serve(request, reply, compute).then(() => sent.body);
}

describe('ResponseCache', () => {
  it('answers a repeated GET from the cache until a notice for its project', async () => {
    const cache = new ResponseCache(new LocalChangeBus());
    let reads = 0;
    const compute = async () => ({ projectId: 'p1', value: { reads: ++reads } });
    expect(await call(cache, '/a', compute)).toBe('{"reads":1}');
    expect(await call(cache, '/a', compute)).toBe('{"reads":1}');
    cache.invalidate({ kind: 'flag', projectId: 'p2' });
    expect(await call(cache, '/a', compute)).toBe('{"reads":1}');
    cache.invalidate({ kind: 'token', id: 't' });
    expect(await call(cache, '/a', compute)).toBe('{"reads":1}');
    cache.invalidate({ kind: 'experiment', projectId: 'p1' });
    expect(await call(cache, '/a', compute)).toBe('{"reads":2}');
  });

  it('does not keep what a request read before a write whose notice came while it was reading', async () => {
    const cache = new ResponseCache(new LocalChangeBus());
    let release!: () => void;
    const slow = call(cache, '/a', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { projectId: 'p1', value: 'before the write' };
    });
    await new Promise((r) => setImmediate(r));
    cache.invalidate({ kind: 'experiment', projectId: 'p1' });
    release();
    expect(await slow).toBe('"before the write"');
    expect(cache.size).toBe(0);
    expect(await call(cache, '/a', async () => ({ projectId: 'p1', value: 'after the write' }))).toBe('"after the write"');
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const cache = new ResponseCache(new LocalChangeBus(), 2);
    for (const url of ['/a', '/b', '/c']) await call(cache, url, async () => ({ projectId: 'p', value: url }));
    expect(cache.size).toBe(2);
    expect(await call(cache, '/a', async () => ({ projectId: 'p', value: 'recomputed' }))).toBe('"recomputed"');
  });

  it('hears changes on the bus, empties itself on a null notice, and neither serves nor keeps while the bus is deaf', async () => {
    const bus = new LocalChangeBus();
    const deaf = { live: true, subscribe: bus.subscribe.bind(bus) };
    const cache = new ResponseCache(deaf);
    let reads = 0;
    const compute = async () => ({ projectId: 'p1', value: ++reads });
    expect(await call(cache, '/a', compute)).toBe('1');
    bus.publish({ kind: 'experiment', projectId: 'p1' });
    expect(await call(cache, '/a', compute)).toBe('2');
    expect(cache.size).toBe(1);
    deaf.live = false;
    expect(await call(cache, '/a', compute)).toBe('3');
    expect(await call(cache, '/a', compute)).toBe('4');
    expect(await call(cache, '/b', compute)).toBe('5');
    expect(cache.size).toBe(1);
    // the bus says "anything may have changed" (null) when it goes deaf and again when it hears once more
    let hear!: (notice: null) => void;
    const c2 = new ResponseCache({ live: true, subscribe: (fn) => ((hear = fn as (n: null) => void), () => {}) });
    await call(c2, '/a', compute);
    expect(c2.size).toBe(1);
    hear(null);
    expect(c2.size).toBe(0);
  });
});

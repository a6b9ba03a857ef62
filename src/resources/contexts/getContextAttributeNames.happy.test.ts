// getContextAttributeNames: each kind's attribute names (JSON pointers) with how many contexts have each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getContextAttributeNames', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('by kind: each context counts once (its latest attributes), most common first; nested values by pointer; redacted ones flagged', async () => {
    const res = await s.get(`${base}/context-attributes`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { kind: 'org', names: [{ name: '/key', weight: 1 }, { name: '/name', weight: 1 }, { name: '/tier', weight: 1 }] },
      {
        kind: 'user',
        names: [
          { name: '/country', weight: 3 },
          { name: '/key', weight: 3 },
          { name: '/name', weight: 3 },
          { name: '/email', weight: 2, redacted: true },
          { name: '/address/city', weight: 1 },
          { name: '/tags', weight: 1 },
        ],
      },
    ]);
  });

  it('filter by kind and by the start of a name; limit names per kind', async () => {
    const res = await s.get(`${base}/context-attributes?filter=${encodeURIComponent('kind equals user,name startsWith "/co"')}`);
    expect(res.body.items).toEqual([{ kind: 'user', names: [{ name: '/country', weight: 3 }] }]);
    const limited = await s.get(`${base}/context-attributes?limit=1`);
    expect(limited.body.items.map((i: { names: unknown[] }) => i.names.length)).toEqual([1, 1]);
  });
});

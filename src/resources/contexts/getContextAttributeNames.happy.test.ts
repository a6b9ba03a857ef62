// getContextAttributeNames: each kind's attribute names (JSON pointers) with how many contexts have each.
import { describe, expect, it } from 'vitest';
import { seededServer } from '../../../test/support/contexts.js';

describe('getContextAttributeNames', () => {
  const world = seededServer();

  it('by kind: each context counts once (its latest attributes), most common first; nested values by pointer; redacted ones flagged', async () => {
    const res = await world.s.get(`${world.base}/context-attributes`);
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
    const res = await world.s.get(`${world.base}/context-attributes?filter=${encodeURIComponent('kind equals user,name startsWith "/co"')}`);
    expect(res.body.items).toEqual([{ kind: 'user', names: [{ name: '/country', weight: 3 }] }]);
    const limited = await world.s.get(`${world.base}/context-attributes?limit=1`);
    expect(limited.body.items.map((i: { names: unknown[] }) => i.names.length)).toEqual([1, 1]);
  });
});

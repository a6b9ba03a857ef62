// getContextAttributeValues: the values an attribute takes, by kind, with how many contexts have each.
import { describe, expect, it } from 'vitest';
import { seededServer } from '../../../test/support/contexts.js';

describe('getContextAttributeValues', () => {
  const world = seededServer();

  it('by kind, most common first; a name or a pointer; a list counts each element', async () => {
    const res = await world.s.get(`${world.base}/context-attributes/country`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ kind: 'user', values: [{ name: 'NZ', weight: 2 }, { name: 'US', weight: 1 }] }]);
    expect((await world.s.get(`${world.base}/context-attributes/${encodeURIComponent('/address/city')}`)).body.items).toEqual([{ kind: 'user', values: [{ name: 'Wellington', weight: 1 }] }]);
    expect((await world.s.get(`${world.base}/context-attributes/tags`)).body.items).toEqual([{ kind: 'user', values: [{ name: 'beta', weight: 1 }, { name: 'pro', weight: 1 }] }]);
    // The org's tier: each context counts once, as it was last seen (platinum, from the web app).
    expect((await world.s.get(`${world.base}/context-attributes/tier`)).body.items).toEqual([{ kind: 'org', values: [{ name: 'platinum', weight: 1 }] }]);
  });

  it('filter by kind and by the start of a value; limit; an attribute no context has', async () => {
    expect((await world.s.get(`${world.base}/context-attributes/name?filter=${encodeURIComponent('kind equals user,value startsWith "Sa"')}`)).body.items).toEqual([{ kind: 'user', values: [{ name: 'Sandy S.', weight: 1 }] }]);
    expect((await world.s.get(`${world.base}/context-attributes/name?limit=1`)).body.items.map((i: { values: unknown[] }) => i.values.length)).toEqual([1, 1]);
    expect((await world.s.get(`${world.base}/context-attributes/nothing`)).body).toEqual({ items: [] });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlags: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((f) => f.key);

  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'Checkout', key: 'checkout', tags: ['beta', 'web'] });
    await s.post('/api/v2/flags/shop', { name: 'Banner', key: 'banner', tags: ['web'], temporary: false });
    await s.post('/api/v2/flags/shop', { name: 'Algorithm', key: 'algo', tags: ['beta'] });
    await s.post('/api/v2/flags/shop', { name: 'Holdout', key: 'holdout-1', purpose: 'holdout' });
    await s.post('/api/v2/flags/shop', { name: 'Old', key: 'old' });
    await s.patch('/api/v2/flags/shop/old', [{ op: 'replace', path: '/archived', value: true }]);
    await s.post('/api/v2/flags/shop', { name: 'Sunset', key: 'sunset' });
    await s.patch('/api/v2/flags/shop/sunset', [
      { op: 'replace', path: '/deprecated', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: [{ attribute: 'key', op: 'in', values: ['a'], negate: false }] } },
    ]);
  });
  afterAll(() => s.close());

  it('lists unarchived flags oldest first, without environments', async () => {
    const res = await s.get('/api/v2/flags/shop');
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['checkout', 'banner', 'algo', 'holdout-1', 'sunset']);
    expect(res.body.totalCount).toBe(5);
    for (const item of res.body.items) expect(item.environments).toBeUndefined();
    expect(res.body.items[0]).toMatchObject({ name: 'Checkout', kind: 'boolean', _links: { self: { href: '/api/v2/flags/shop/checkout', type: 'application/json' } } });
    expect(res.body._links.self).toEqual({ href: '/api/v2/flags/shop?limit=20&offset=0', type: 'application/json' });
  });

  it('pages with limit and offset, with first/prev/next/last links', async () => {
    const first = await s.get('/api/v2/flags/shop?limit=2');
    expect(keys(first)).toEqual(['checkout', 'banner']);
    expect(first.body.totalCount).toBe(5);
    expect(first.body._links.next.href).toBe('/api/v2/flags/shop?limit=2&offset=2');
    expect(first.body._links.last.href).toBe('/api/v2/flags/shop?limit=2&offset=4');
    expect(first.body._links.prev).toBeUndefined();
    const last = await s.get('/api/v2/flags/shop?limit=2&offset=4&filter=query:s');
    expect(last.body._links.first.href).toBe('/api/v2/flags/shop?filter=query%3As&limit=2&offset=0');
  });

  it('filters by query, tags (all of them), tag, type, state and archived', async () => {
    expect(keys(await s.get('/api/v2/flags/shop?filter=query:CHECK'))).toEqual(['checkout']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=query:algorithm'))).toEqual(['algo']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=tags:beta%2Bweb'))).toEqual(['checkout']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=tags:beta+web'))).toEqual(['checkout']);
    expect(keys(await s.get('/api/v2/flags/shop?tag=web'))).toEqual(['checkout', 'banner']);
    // Repeated (or comma-separated, as the page links carry it) `tag`: every one of them.
    expect(keys(await s.get('/api/v2/flags/shop?tag=web&tag=beta'))).toEqual(['checkout']);
    const tagged = await s.get('/api/v2/flags/shop?tag=web&tag=beta&limit=1');
    expect(keys(await s.get(tagged.body._links.self.href))).toEqual(['checkout']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=type:permanent'))).toEqual(['banner']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=state:deprecated'))).toEqual(['sunset']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=state:archived'))).toEqual(['old']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=archived:true'))).toEqual(['old']);
    expect(keys(await s.get('/api/v2/flags/shop?archived=true'))).toEqual(['old']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=query:e,tags:web'))).toEqual(['checkout', 'banner']);
  });

  it('creationDate takes before and after together: the comma inside the object is not a filter separator', async () => {
    const created = (await s.get('/api/v2/flags/shop')).body.items.map((f: { key: string; creationDate: number }) => f.creationDate);
    const range = `{"after":${created[0]},"before":${created[2]}}`;
    expect(keys(await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent(`creationDate:${range}`)}`))).toEqual(['banner']);
    expect(keys(await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent(`creationDate:${range},query:algo`)}`))).toEqual([]);
    expect(keys(await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent(`tags:web,creationDate:${range}`)}`))).toEqual(['banner']);
  });

  it('purpose:all+!(holdout), as ldcli sends it, leaves out holdout flags', async () => {
    expect(keys(await s.get('/api/v2/flags/shop?filter=purpose:all+!(holdout)&limit=100&offset=0'))).toEqual(['checkout', 'banner', 'algo', 'sunset']);
    expect(keys(await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent('purpose:all+!(holdout)')}`))).toEqual(['checkout', 'banner', 'algo', 'sunset']);
    expect(keys(await s.get('/api/v2/flags/shop?filter=purpose:holdout'))).toEqual(['holdout-1']);
    expect((await s.get('/api/v2/flags/shop/holdout-1')).body._purpose).toBe('holdout');
  });

  it('sorts by key, name and creationDate, - for descending', async () => {
    expect(keys(await s.get('/api/v2/flags/shop?sort=key'))).toEqual(['algo', 'banner', 'checkout', 'holdout-1', 'sunset']);
    expect(keys(await s.get('/api/v2/flags/shop?sort=-name'))).toEqual(['sunset', 'holdout-1', 'checkout', 'banner', 'algo']);
    expect(keys(await s.get('/api/v2/flags/shop?sort=-creationDate'))).toEqual(['sunset', 'holdout-1', 'algo', 'banner', 'checkout']);
  });

  it('env (or filterEnv) adds those environments, summarised unless summary=0', async () => {
    const summarised = await s.get('/api/v2/flags/shop?env=production&filter=query:sunset');
    const production = summarised.body.items[0].environments.production;
    expect(Object.keys(summarised.body.items[0].environments)).toEqual(['production']);
    expect(production).toMatchObject({ on: false, version: 2, fallthrough: { variation: 0 }, _summary: { variations: { '0': { rules: 1 } } } });
    expect(production.rules).toBeUndefined();
    expect(production.targets).toBeUndefined();
    expect(production.prerequisites).toBeUndefined();

    const full = await s.get('/api/v2/flags/shop?env=production&summary=0&filter=query:sunset');
    expect(full.body.items[0].environments.production.rules).toHaveLength(1);
    expect(full.body.items[0].environments.production).toEqual((await s.get('/api/v2/flags/shop/sunset?env=production')).body.environments.production);

    const viaFilter = await s.get('/api/v2/flags/shop?filter=filterEnv:test,query:sunset');
    expect(Object.keys(viaFilter.body.items[0].environments)).toEqual(['test']);
    const both = await s.get('/api/v2/flags/shop?env=test&env=production&limit=1');
    expect(Object.keys(both.body.items[0].environments)).toEqual(['production', 'test']);
  });

  it('an empty project lists nothing', async () => {
    await s.post('/api/v2/projects', { name: 'Empty', key: 'empty' });
    const res = await s.get('/api/v2/flags/empty?env=production');
    expect(res.body).toEqual({ items: [], totalCount: 0, _links: { self: { href: '/api/v2/flags/empty?env=production&limit=20&offset=0', type: 'application/json' } } });
  });
});

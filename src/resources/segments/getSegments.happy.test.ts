import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('getSegments: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const path = '/api/v2/segments/shop/production';
  const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((segment) => segment.key);
  const list = (query = '') => s.get(`${path}${query}`);
  const filtered = async (filter: string, extra = '') => {
    const res = await list(`?filter=${encodeURIComponent(filter)}${extra}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res;
  };

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    // Created in this order, one second apart.
    const segments = [
      { key: 'beta', name: 'Beta testers', tags: ['beta'], description: 'People who opted in' },
      { key: 'staff', name: 'Staff', tags: ['internal'], description: 'Employees' },
      { key: 'vip', name: 'VIP customers', tags: ['enterprise', 'beta'] },
      { key: 'europe', name: 'europe', tags: ['geo'], description: 'Toggle for the EU' },
      { key: 'apac', name: 'APAC', tags: ['geo', 'enterprise'] },
    ];
    for (const body of segments) {
      clock += 1000;
      expect((await s.post(path, body)).status).toBe(201);
    }
    // The environment next door has a segment of its own.
    clock += 1000;
    await s.post('/api/v2/segments/shop/test', { key: 'test-only', name: 'Test only', tags: ['beta'] });
  });
  afterAll(() => s.close());

  it('lists the environment\'s segments oldest first, with totalCount and a self link (20 a page by default)', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['beta', 'staff', 'vip', 'europe', 'apac']);
    expect(res.body.totalCount).toBe(5);
    expect(res.body._links).toEqual({ self: { href: '/api/v2/segments/shop/production?limit=20&offset=0', type: 'application/json' } });
  });

  it('each item is the segment as getSegment shows it, less _flags', async () => {
    const res = await list();
    const one = await s.get(`${path}/vip`);
    const { _flags, ...withoutFlags } = one.body;
    expect(_flags).toEqual([]);
    expect(res.body.items[2]).toEqual(withoutFlags);
    for (const item of res.body.items) {
      expect(item).not.toHaveProperty('_flags');
      expect(item._links.self.href).toBe(`/api/v2/segments/shop/production/${item.key}`);
      expect(item._links.parent.href).toBe('/api/v2/segments/shop/production');
      expect(item._links.site).toEqual({ href: `/shop/production/segments/${item.key}`, type: 'text/html' });
    }
  });

  it('pages with limit and offset: totalCount is the whole list, and first/prev/next/last link the other pages', async () => {
    const middle = await list('?limit=2&offset=2');
    expect(keys(middle)).toEqual(['vip', 'europe']);
    expect(middle.body.totalCount).toBe(5);
    const href = (offset: number) => ({ href: `/api/v2/segments/shop/production?limit=2&offset=${offset}`, type: 'application/json' });
    expect(middle.body._links).toEqual({ self: href(2), first: href(0), prev: href(0), next: href(4), last: href(4) });

    const first = await list('?limit=2');
    expect(keys(first)).toEqual(['beta', 'staff']);
    expect(first.body._links).toEqual({ self: href(0), next: href(2), last: href(4) });

    const last = await list('?limit=2&offset=4');
    expect(keys(last)).toEqual(['apac']);
    expect(last.body._links).toEqual({ self: href(4), first: href(0), prev: href(2) });

    const beyond = await list('?limit=2&offset=10');
    expect(beyond.body.items).toEqual([]);
    expect(beyond.body.totalCount).toBe(5);
  });

  it('sorts by name (case-insensitive), key, creationDate or lastModified, ascending or descending with -', async () => {
    expect(keys(await list('?sort=name'))).toEqual(['apac', 'beta', 'europe', 'staff', 'vip']);
    expect(keys(await list('?sort=-name'))).toEqual(['vip', 'staff', 'europe', 'beta', 'apac']);
    expect(keys(await list('?sort=key'))).toEqual(['apac', 'beta', 'europe', 'staff', 'vip']);
    expect(keys(await list('?sort=-creationDate'))).toEqual(['apac', 'europe', 'vip', 'staff', 'beta']);
    expect(keys(await list('?sort=creationDate'))).toEqual(['beta', 'staff', 'vip', 'europe', 'apac']);
  });

  it('sort=lastModified follows the latest change, and a comma list breaks ties in order', async () => {
    clock += 1000;
    expect((await s.patch(`${path}/staff`, [{ op: 'add', path: '/tags/-', value: 'hr' }])).status).toBe(200);
    expect(keys(await list('?sort=-lastModified'))[0]).toBe('staff');
    expect(keys(await list('?sort=lastModified')).at(-1)).toBe('staff');

    // Two segments named alike: the second field decides between them.
    clock += 1000;
    await s.post('/api/v2/segments/shop/test', { key: 'same-a', name: 'Same' });
    clock += 1000;
    await s.post('/api/v2/segments/shop/test', { key: 'same-b', name: 'Same' });
    const ascending = await s.get('/api/v2/segments/shop/test?sort=-name,creationDate');
    expect(keys(ascending)).toEqual(['test-only', 'same-a', 'same-b']);
    const descending = await s.get('/api/v2/segments/shop/test?sort=-name,-creationDate');
    expect(keys(descending)).toEqual(['test-only', 'same-b', 'same-a']);
  });

  it('filters by tags anyOf, and by a query across key, name and description (case-insensitive)', async () => {
    expect(keys(await filtered('tags anyOf ["enterprise"]'))).toEqual(['vip', 'apac']);
    expect(keys(await filtered('tags anyOf ["internal", "geo"]'))).toEqual(['staff', 'europe', 'apac']);
    expect(keys(await filtered('query equals "VIP"'))).toEqual(['vip']);
    expect(keys(await filtered('query equals "employees"'))).toEqual(['staff']);
    expect(keys(await filtered('query equals "eur"'))).toEqual(['europe']);
    expect(keys(await filtered('query equals ["staff", "apac"]'))).toEqual(['staff', 'apac']);
    expect(keys(await filtered('query equals "nothing-like-it"'))).toEqual([]);
  });

  it('filters by includedKeys and excludedKeys', async () => {
    expect(keys(await filtered('includedKeys anyOf ["apac", "beta", "missing"]'))).toEqual(['beta', 'apac']);
    expect(keys(await filtered('excludedKeys anyOf ["beta", "vip"]'))).toEqual(['staff', 'europe', 'apac']);
  });

  it('unbounded tells big segments from standard ones; external describes synced segments, which iterlab has none of', async () => {
    expect((await filtered('unbounded equals false')).body.totalCount).toBe(5);
    expect(keys(await filtered('unbounded equals true'))).toEqual([]);
    expect((await s.post(path, { key: 'big', name: 'Big', unbounded: true, unboundedContextKind: 'user' })).status).toBe(201);
    try {
      expect(keys(await filtered('unbounded equals true'))).toEqual(['big']);
      expect((await filtered('unbounded equals false')).body.totalCount).toBe(5);
      expect(keys(await filtered('external exists'))).toEqual([]);
      expect(keys(await filtered('external exists true'))).toEqual([]);
      expect((await filtered('external exists false')).body.totalCount).toBe(6);
    } finally {
      expect((await s.request('DELETE', `${path}/big`)).status).toBe(204);
    }
  });

  it('"," is and: every clause must hold (LaunchDarkly\'s documented example)', async () => {
    expect(keys(await filtered('tags anyOf ["enterprise", "beta"],query equals "toggle"'))).toEqual([]);
    expect(keys(await filtered('tags anyOf ["geo", "beta"],query equals "toggle"'))).toEqual(['europe']);
    expect(keys(await filtered('tags anyOf ["beta"],excludedKeys anyOf ["beta"]'))).toEqual(['vip']);
  });

  it('"|" is or: any clause may hold', async () => {
    expect(keys(await filtered('tags anyOf ["internal"]|query equals "apac"'))).toEqual(['staff', 'apac']);
    expect(keys(await filtered('includedKeys anyOf ["beta"]|includedKeys anyOf ["europe"]|tags anyOf ["internal"]'))).toEqual(['beta', 'staff', 'europe']);
  });

  it('parentheses group: (a|b),c and a|(b,c) are different filters', async () => {
    // (beta-tagged or geo-tagged) and not vip, not apac
    expect(keys(await filtered('(tags anyOf ["beta"]|tags anyOf ["geo"]),excludedKeys anyOf ["vip", "apac"]'))).toEqual(['beta', 'europe']);
    // staff, or (enterprise-tagged and matching "ap")
    expect(keys(await filtered('includedKeys anyOf ["staff"]|(tags anyOf ["enterprise"],query equals "ap")'))).toEqual(['staff', 'apac']);
    // Nested groups.
    expect(keys(await filtered('((tags anyOf ["geo"],query equals "eu")|(includedKeys anyOf ["beta"])),unbounded equals false'))).toEqual(['beta', 'europe']);
  });

  it('filter and sort together, and the page links carry both', async () => {
    const res = await filtered('tags anyOf ["beta"]|tags anyOf ["geo"]', '&sort=-name&limit=2');
    expect(keys(res)).toEqual(['vip', 'europe']);
    expect(res.body.totalCount).toBe(4);
    const query = (offset: number) => new URLSearchParams({ filter: 'tags anyOf ["beta"]|tags anyOf ["geo"]', sort: '-name', limit: '2', offset: String(offset) }).toString();
    expect(res.body._links).toEqual({
      self: { href: `/api/v2/segments/shop/production?${query(0)}`, type: 'application/json' },
      next: { href: `/api/v2/segments/shop/production?${query(2)}`, type: 'application/json' },
      last: { href: `/api/v2/segments/shop/production?${query(2)}`, type: 'application/json' },
    });
    const next = await s.get(res.body._links.next.href);
    expect(keys(next)).toEqual(['beta', 'apac']);
  });

  it('before API version 20240415 the list is unpaged unless limit is given (LaunchDarkly paged it from then on)', async () => {
    await s.post('/api/v2/projects', { name: 'Many', key: 'many' });
    for (let i = 0; i < 22; i++) {
      clock += 1000;
      expect((await s.post('/api/v2/segments/many/production', { key: `old-${i}`, name: `Old ${i}` })).status).toBe(201);
    }
    const old = { headers: { 'LD-API-Version': '20220603' } };
    const all = await s.get('/api/v2/segments/many/production', old);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(22);
    expect(all.body.totalCount).toBe(22);
    expect((await s.get('/api/v2/segments/many/production?limit=5', old)).body.items).toHaveLength(5);
    expect((await s.get('/api/v2/segments/many/production')).body.items).toHaveLength(20);
  });

  it('an environment without segments lists none', async () => {
    await s.post('/api/v2/projects', { name: 'Empty', key: 'empty' });
    const res = await s.get('/api/v2/segments/empty/production');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], totalCount: 0, _links: { self: { href: '/api/v2/segments/empty/production?limit=20&offset=0', type: 'application/json' } } });
  });

  it('a deleted segment leaves the list', async () => {
    clock += 1000;
    await s.post(path, { key: 'doomed', name: 'Doomed' });
    expect((await list()).body.totalCount).toBe(6);
    await s.del(`${path}/doomed`);
    expect((await list()).body.totalCount).toBe(5);
    expect(keys(await list())).not.toContain('doomed');
  });
});

describe('getSegments: the view filter', () => {
  let w: ViewWorld;
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad' });
    await createView(w, { key: 'ops', name: 'Ops' });
    await linkTo(w, 'squad', 'segments', { segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'beta-users' }] });
    await linkTo(w, 'ops', 'segments', { segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'staff' }, { environmentId: w.env.test, segmentKey: 'beta-users' }] });
  });
  afterAll(() => w.s.close());

  const keys = async (path: string, filter: string) => {
    const res = await w.s.get(`${path}?filter=${encodeURIComponent(filter)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((segment: { key: string }) => segment.key);
  };

  it('keeps the segments of the environment linked to the view (equals) or to any of the views (anyOf)', async () => {
    expect(await keys('/api/v2/segments/shop/production', 'view equals "squad"')).toEqual(['beta-users']);
    expect(await keys('/api/v2/segments/shop/production', 'view equals "ops"')).toEqual(['staff']);
    expect(await keys('/api/v2/segments/shop/test', 'view equals "ops"')).toEqual(['beta-users']);
    expect(await keys('/api/v2/segments/shop/production', 'view anyOf ["squad","ops"]')).toEqual(['beta-users', 'staff']);
    expect(await keys('/api/v2/segments/shop/production', 'view equals "squad",tags anyOf ["beta"]')).toEqual(['beta-users']);
    expect(await keys('/api/v2/segments/shop/production', 'view equals "nowhere"')).toEqual([]);
  });
});

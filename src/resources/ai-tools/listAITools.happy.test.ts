// Listing a project's AI tools: each as its newest version defines it, in key order unless sorted, filtered on key
// in LaunchDarkly's grouped syntax, paged with first/prev/next/last links carrying the filter and sort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listAITools', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 0, 1);
  const tools = '/api/v2/projects/shop/ai-tools';
  const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((item) => item.key);
  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    const tags: Record<string, string[]> = { 'search-orders': ['search', 'orders'], 'search-products': ['search'], refund: ['orders'] };
    for (const key of ['search-orders', 'refund', 'search-products', 'Escalate']) expect((await s.post(tools, { key, schema: { type: 'object' }, tags: tags[key] })).status).toBe(201);
    expect((await s.post('/api/v2/projects/other/ai-tools', { key: 'elsewhere', schema: {} })).status).toBe(201);
    // refund's newest version is now the newest of all.
    expect((await s.patch(`${tools}/refund`, { description: 'Refund an order' })).body.version).toBe(2);
  });
  afterAll(() => s.close());

  it("the project's tools in key order, each at its newest version", async () => {
    const res = await s.get(tools);
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['Escalate', 'refund', 'search-orders', 'search-products']);
    expect(res.body.totalCount).toBe(4);
    expect(res.body.items[1]).toEqual((await s.get(`${tools}/refund`)).body);
    expect(res.body._links).toEqual({ self: { href: `${tools}?limit=20&offset=0`, type: 'application/json' } });
    expect((await s.get('/api/v2/projects/empty-handed/ai-tools')).status).toBe(404);
  });

  it('sort on key or createdAt (the newest version’s), - for descending', async () => {
    expect(keys(await s.get(`${tools}?sort=-key`))).toEqual(['search-products', 'search-orders', 'refund', 'Escalate']);
    expect(keys(await s.get(`${tools}?sort=-createdAt`))).toEqual(['refund', 'Escalate', 'search-products', 'search-orders']);
  });

  it('filter on key: equals, anyOf, startsWith, notEquals; , is and, | is or', async () => {
    const filtered = (filter: string) => s.get(`${tools}?filter=${encodeURIComponent(filter)}`);
    expect(keys(await filtered('key equals refund'))).toEqual(['refund']);
    expect(keys(await filtered('key anyOf ["refund","Escalate","missing"]'))).toEqual(['Escalate', 'refund']);
    expect(keys(await filtered('key startsWith search-'))).toEqual(['search-orders', 'search-products']);
    expect(keys(await filtered('key startsWith search-,key notEquals search-orders'))).toEqual(['search-products']);
    expect(keys(await filtered('key equals refund|key equals Escalate'))).toEqual(['Escalate', 'refund']);
    // Keys are case-sensitive.
    expect(keys(await filtered('key equals escalate'))).toEqual([]);
  });

  it('filter on tags (2026-07), as listPromptSnippets takes it: anyOf; with key', async () => {
    const filtered = (filter: string) => s.get(`${tools}?filter=${encodeURIComponent(filter)}`);
    expect(keys(await filtered('tags anyOf ["search"]'))).toEqual(['search-orders', 'search-products']);
    expect(keys(await filtered('tags anyOf ["orders","missing"]'))).toEqual(['refund', 'search-orders']);
    expect(keys(await filtered('tags anyOf ["orders"],key startsWith search-'))).toEqual(['search-orders']);
    expect((await filtered('tags equals search')).status).toBe(400);
  });

  it('pages: limit and offset, with the links a client walks', async () => {
    const filter = encodeURIComponent('key notEquals refund');
    const res = await s.get(`${tools}?limit=1&offset=1&sort=-key&filter=${filter}`);
    expect(keys(res)).toEqual(['search-orders']);
    expect(res.body.totalCount).toBe(3);
    const href = (offset: number) => ({ href: `${tools}?filter=key+notEquals+refund&sort=-key&limit=1&offset=${offset}`, type: 'application/json' });
    expect(res.body._links).toEqual({ self: href(1), first: href(0), prev: href(0), next: href(2), last: href(2) });
    expect(keys(await s.get(`${tools}?offset=10`))).toEqual([]);
  });
});

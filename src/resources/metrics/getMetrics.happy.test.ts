import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((m) => m.key);
const q = (filter: string) => `/api/v2/metrics/shop?filter=${encodeURIComponent(filter)}&sort=createdAt`;

describe('getMetrics: happy path', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const metrics = [
      { key: 'checkout-started', name: 'Checkout started', kind: 'custom', eventKey: 'co', isNumeric: false, tags: ['funnel', 'web'] },
      { key: 'revenue', name: 'Revenue', kind: 'custom', eventKey: 'rev', isNumeric: true, unitAggregationType: 'sum', tags: ['money'] },
      { key: 'basket-size', name: 'Items per CHECKOUT', kind: 'custom', eventKey: 'items', isNumeric: true, tags: ['funnel'] },
      { key: 'home', name: 'Home page', kind: 'pageview', urls: [{ kind: 'exact', url: 'https://shop/' }], tags: ['web', 'funnel'] },
      { key: 'buy', name: 'Buy button', kind: 'click', selector: '#buy', urls: [{ kind: 'exact', url: 'https://shop/p' }] },
    ];
    for (const body of metrics) expect((await s.post('/api/v2/metrics/shop', body)).status).toBe(201);
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'exp', status: 'running', refs: [{ kind: 'metric', key: 'revenue' }] });
  });
  afterAll(() => s.close());

  it('lists newest first by default, with totalCount and a self link', async () => {
    const res = await s.get('/api/v2/metrics/shop');
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['buy', 'home', 'basket-size', 'revenue', 'checkout-started']);
    expect(res.body.totalCount).toBe(5);
    expect(res.body._links).toEqual({ self: { href: '/api/v2/metrics/shop?limit=20&offset=0', type: 'application/json' } });
    expect(res.body.items[0]).toMatchObject({ key: 'buy', _links: { self: { href: '/api/v2/metrics/shop/buy' } } });
  });

  it('sorts by name or creation, either way', async () => {
    expect(keys(await s.get('/api/v2/metrics/shop?sort=name'))).toEqual(['buy', 'checkout-started', 'home', 'basket-size', 'revenue']);
    expect(keys(await s.get('/api/v2/metrics/shop?sort=-name'))).toEqual(['revenue', 'basket-size', 'home', 'checkout-started', 'buy']);
    expect(keys(await s.get('/api/v2/metrics/shop?sort=createdAt'))).toEqual(['checkout-started', 'revenue', 'basket-size', 'home', 'buy']);
  });

  it('pages with limit and offset, linking first, prev, next and last', async () => {
    const res = await s.get('/api/v2/metrics/shop?sort=createdAt&limit=2&offset=2');
    expect(keys(res)).toEqual(['basket-size', 'home']);
    expect(Object.keys(res.body._links).sort()).toEqual(['first', 'last', 'next', 'prev', 'self']);
    expect(res.body._links.next.href).toBe('/api/v2/metrics/shop?sort=createdAt&limit=2&offset=4');
    expect((await s.get('/api/v2/metrics/shop?limit=2&offset=4')).body.items).toHaveLength(1);
  });

  it("filters with LaunchDarkly's expression syntax", async () => {
    expect(keys(await s.get(q('tags contains ["funnel","web"]')))).toEqual(['checkout-started', 'home']);
    expect(keys(await s.get(q('tags contains funnel')))).toEqual(['checkout-started', 'basket-size', 'home']);
    expect(keys(await s.get(q('eventKind equals custom')))).toEqual(['checkout-started', 'revenue', 'basket-size']);
    expect(keys(await s.get(q('isNumeric equals true')))).toEqual(['revenue', 'basket-size']);
    expect(keys(await s.get(q('isNumeric equals false')))).toEqual(['checkout-started', 'home', 'buy']);
    expect(keys(await s.get(q('query equals checkout')))).toEqual(['checkout-started', 'basket-size']);
    expect(keys(await s.get(q("query equals 'home page'")))).toEqual(['home']);
    expect(keys(await s.get(q('unitAggregationType equals sum')))).toEqual(['revenue']);
    expect(keys(await s.get(q(`maintainerIds anyOf ["${s.deps.accountId}"]`)))).toHaveLength(5);
    expect(keys(await s.get(q('maintainerIds anyOf ["someone-else"]')))).toEqual([]);
    expect(keys(await s.get(q('eventKind equals custom and isNumeric equals true and tags contains ["funnel"]')))).toEqual(['basket-size']);
    expect(keys(await s.get(q('eventKeys anyOf ["co","items"]')))).toEqual(['checkout-started', 'basket-size']);
  });

  it('filters on connections to experiments', async () => {
    expect(keys(await s.get(q('hasConnections equals true')))).toEqual(['revenue']);
    expect(keys(await s.get(q('metricUsedIn equals none')))).toEqual(['checkout-started', 'basket-size', 'home', 'buy']);
    expect(keys(await s.get(q('metricUsedIn equals guarded_rollouts')))).toEqual([]);
  });

  it('takes the view field the spec lists: views link no metrics, so none is in the view', async () => {
    const res = await s.get(q('view equals "checkout-squad"'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(keys(res)).toEqual([]);
    expect(res.body.totalCount).toBe(0);
  });

  it('counts the items that match, not the page, and carries the filter into the links', async () => {
    const res = await s.get(`/api/v2/metrics/shop?limit=1&filter=${encodeURIComponent('tags contains funnel')}`);
    expect(res.body.totalCount).toBe(3);
    expect(res.body._links.next.href).toBe('/api/v2/metrics/shop?filter=tags+contains+funnel&limit=1&offset=1');
  });

  it('expand=experimentCount adds the count to each item', async () => {
    const res = await s.get('/api/v2/metrics/shop?expand=experimentCount&sort=createdAt');
    expect(res.body.items.map((m: { experimentCount: number }) => m.experimentCount)).toEqual([0, 1, 0, 0, 0]);
  });

  it('caps limit at 50', async () => {
    await s.post('/api/v2/projects', { name: 'Big', key: 'big' });
    for (let i = 0; i < 52; i++) await s.post('/api/v2/metrics/big', { key: `m${i}`, kind: 'custom', eventKey: 'e', isNumeric: false });
    const res = await s.get('/api/v2/metrics/big?limit=500');
    expect(res.body.items).toHaveLength(50);
    expect(res.body.totalCount).toBe(52);
    expect(res.body._links.next.href).toContain('limit=50&offset=50');
  });
});

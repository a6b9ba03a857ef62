// getViews: the project's views filtered, sorted and paged as LaunchDarkly documents, with the summaries `expand` asks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('getViews', () => {
  let w: ViewWorld;
  const keys = async (query: string) => {
    const res = await w.get(`${w.views}?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((v: { key: string }) => v.key);
  };
  const filter = (text: string) => `filter=${encodeURIComponent(text)}`;
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'payments', name: 'Payments squad', tags: ['squad'], maintainerId: w.ownerId, generateSdkKeys: true });
    w.clock.now += 1_000;
    await createView(w, { key: 'checkout', name: 'checkout Squad', tags: ['squad', 'web'] });
    w.clock.now += 1_000;
    await createView(w, { key: 'archive', name: 'Archive', maintainerTeamKey: 'checkout-team' });
    w.clock.now += 1_000;
    // Updated last: first by updatedAt descending.
    expect((await w.patch(`${w.views}/payments`, { description: 'Cards and wallets' })).status).toBe(200);
    await linkTo(w, 'checkout', 'flags', { keys: ['checkout', 'search'] });
    await linkTo(w, 'checkout', 'segments', { segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'staff' }] });
  });
  afterAll(() => w.s.close());

  it('lists every view by key, as Views with _links and totalCount', async () => {
    const res = await w.get(w.views);
    expect(res.body.totalCount).toBe(3);
    expect(res.body._links).toEqual({ self: { href: '/api/v2/projects/shop/views?limit=20&offset=0', type: 'application/json' } });
    expect(res.body.items.map((v: { key: string }) => v.key)).toEqual(['archive', 'checkout', 'payments']);
    expect(res.body.items[2]).toMatchObject({ key: 'payments', description: 'Cards and wallets', version: 2, maintainer: { kind: 'member', id: w.ownerId } });
    expect(res.body.items[1].flagsSummary).toBeUndefined();
  });

  it('sorts by name (without case) or updatedAt, - for descending', async () => {
    expect(await keys('sort=name')).toEqual(['archive', 'checkout', 'payments']);
    expect(await keys('sort=-name')).toEqual(['payments', 'checkout', 'archive']);
    expect(await keys('sort=-updatedAt')).toEqual(['payments', 'archive', 'checkout']);
  });

  it('filters on name, key, tag, maintainerId and isPayloadView', async () => {
    expect(await keys(filter('name contains "squad"'))).toEqual(['checkout', 'payments']);
    expect(await keys(filter('name startsWith "pay"'))).toEqual(['payments']);
    expect(await keys(filter('key notEquals "archive"'))).toEqual(['checkout', 'payments']);
    expect(await keys(filter('key anyOf ["archive","payments"]'))).toEqual(['archive', 'payments']);
    expect(await keys(filter('tag equals "web"'))).toEqual(['checkout']);
    expect(await keys(filter('tag anyOf ["squad","none"],name equals "Payments squad"'))).toEqual(['payments']);
    expect(await keys(filter(`maintainerId equals "${w.ownerId}"`))).toEqual(['payments']);
    expect(await keys(filter('isPayloadView equals true'))).toEqual(['payments']);
    expect(await keys(filter('key equals "archive"|tag equals "web"'))).toEqual(['archive', 'checkout']);
  });

  it('pages with limit and offset, carrying the query in the links', async () => {
    const res = await w.get(`${w.views}?limit=1&offset=1&sort=name&expand=resourceSummary`);
    expect(res.body.items.map((v: { key: string }) => v.key)).toEqual(['checkout']);
    expect(res.body._links.next.href).toBe('/api/v2/projects/shop/views?sort=name&expand=resourceSummary&limit=1&offset=2');
    expect(res.body._links.last.href).toBe('/api/v2/projects/shop/views?sort=name&expand=resourceSummary&limit=1&offset=2');
    expect(res.body._links.prev.href).toBe('/api/v2/projects/shop/views?sort=name&expand=resourceSummary&limit=1&offset=0');
  });

  it('expands each view\'s flag and segment summaries and counts', async () => {
    const res = await w.get(`${w.views}?expand=flagsSummary,segmentsSummary,resourceSummary`);
    const checkout = res.body.items.find((v: { key: string }) => v.key === 'checkout');
    expect(checkout.flagsSummary).toEqual({
      count: 2,
      linkedFlags: {
        items: [
          { key: 'checkout', name: 'Checkout', links: { self: { href: '/api/v2/flags/shop/checkout', type: 'application/json' } } },
          { key: 'search', name: 'Search', links: { self: { href: '/api/v2/flags/shop/search', type: 'application/json' } } },
        ],
        totalCount: 2,
      },
    });
    expect(checkout.segmentsSummary).toEqual({
      count: 1,
      linkedSegments: { items: [{ key: 'staff', name: 'Staff', environmentId: w.env.production, links: { self: { href: '/api/v2/segments/shop/production/staff', type: 'application/json' } } }], totalCount: 1 },
    });
    expect(checkout.resourceSummary).toEqual({ flagCount: 2, segmentCount: 1, totalCount: 3 });
    expect(res.body.items.find((v: { key: string }) => v.key === 'archive').resourceSummary).toEqual({ flagCount: 0, segmentCount: 0, totalCount: 0 });
  });
});

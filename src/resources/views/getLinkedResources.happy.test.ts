// getLinkedResources: a view's flags or segments, oldest link first or by name, searched, filtered and paged, with
// each one's summary when expanded (as Terraform's launchdarkly_view_links reads the flags, in pages of 100).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('getLinkedResources', () => {
  let w: ViewWorld;
  const keys = async (type: string, query = '') => {
    const res = await w.get(`${w.views}/squad/linked/${type}${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((i: { resourceKey: string }) => i.resourceKey);
  };
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad' });
    for (const key of ['search', 'legacy', 'checkout']) {
      await linkTo(w, 'squad', 'flags', { keys: [key] });
      w.clock.now += 1_000;
    }
    await linkTo(w, 'squad', 'segments', { segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'staff' }, { environmentId: w.env.test, segmentKey: 'beta-users' }] });
  });
  afterAll(() => w.s.close());

  it('lists the linked flags, oldest link first, as Terraform reads them (limit 100, offset 0)', async () => {
    const res = await w.get(`${w.views}/squad/linked/flags?limit=100&offset=0`);
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['search', 'legacy', 'checkout']);
    expect(res.body.items[0]).toEqual({
      _links: { parent: { href: '/api/v2/projects/shop/views/squad', type: 'application/json' }, self: { href: '/api/v2/flags/shop/search', type: 'application/json' } },
      resourceKey: 'search',
      resourceType: 'flag',
      linkedAt: Date.UTC(2026, 0, 1),
    });
    expect(res.body._links).toEqual({ self: { href: '/api/v2/projects/shop/views/squad/linked/flags?limit=100&offset=0', type: 'application/json' } });
  });

  it('sorts by name, - for descending, and pages', async () => {
    expect(await keys('flags', '?sort=name')).toEqual(['checkout', 'legacy', 'search']);
    expect(await keys('flags', '?sort=-linkedAt')).toEqual(['checkout', 'legacy', 'search']);
    const page = await w.get(`${w.views}/squad/linked/flags?sort=name&limit=2&offset=2`);
    expect(page.body.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['search']);
    expect(page.body._links.prev.href).toBe('/api/v2/projects/shop/views/squad/linked/flags?sort=name&limit=2&offset=0');
  });

  it('query: the key holds the text, without case (and the name, when expanded)', async () => {
    expect(await keys('flags', '?query=CHECK')).toEqual(['checkout']);
    expect(await keys('flags', '?query=banner')).toEqual([]);
    expect(await keys('flags', '?query=banner&expand=resourceDetails')).toEqual(['legacy']);
  });

  it('filter: the flag list\'s filter, archived flags only when asked', async () => {
    expect(await keys('flags', `?filter=${encodeURIComponent('tags:backend')}`)).toEqual(['checkout']);
    expect(await keys('flags', `?filter=${encodeURIComponent('state:archived')}`)).toEqual(['legacy']);
  });

  it('expand=resourceDetails,maintainer: each flag\'s summary with its maintainer', async () => {
    const res = await w.get(`${w.views}/squad/linked/flags?expand=resourceDetails,maintainer&sort=name&limit=1`);
    expect(res.body.items[0].resourceDetails.flag).toMatchObject({ key: 'checkout', name: 'Checkout', tags: ['backend', 'beta'], maintainer: { kind: 'member', key: w.ownerId, _member: { email: 'owner@iterlab.local' } } });
    const plain = await w.get(`${w.views}/squad/linked/flags?expand=resourceDetails&sort=name&limit=1`);
    expect(plain.body.items[0].resourceDetails.flag.maintainer).toBeUndefined();
  });

  it('segments (linked at once: by key), each with its environment; a filter in the environment environmentId names', async () => {
    const res = await w.get(`${w.views}/squad/linked/segments?expand=resourceDetails`);
    expect(res.body.items.map((i: { environmentKey: string; resourceKey: string }) => `${i.environmentKey}/${i.resourceKey}`)).toEqual(['test/beta-users', 'production/staff']);
    expect(res.body.items[1]).toMatchObject({ resourceType: 'segment', environmentId: w.env.production, resourceDetails: { segment: { key: 'staff', environmentKey: 'production', description: 'Employees' } } });
    expect(await keys('segments', `?filter=${encodeURIComponent('tags anyOf ["beta"]')}&environmentId=${w.env.test}`)).toEqual(['beta-users']);
    expect(await keys('segments', `?filter=${encodeURIComponent('tags anyOf ["beta"]')}&environmentId=${w.env.production}`)).toEqual([]);
  });

  it('AI Configs: none linked to this view, none listed (aiConfigs.happy.test.ts lists linked ones)', async () => {
    expect((await w.get(`${w.views}/squad/linked/aiConfigs`)).body).toMatchObject({ items: [], totalCount: 0 });
  });
});

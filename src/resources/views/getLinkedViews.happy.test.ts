// getLinkedViews: the views a flag, or a segment of one environment, is linked to, by key, in pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('getLinkedViews', () => {
  let w: ViewWorld;
  const keys = async (path: string) => {
    const res = await w.get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((v: { key: string }) => v.key);
  };
  beforeAll(async () => {
    w = await viewWorld();
    for (const key of ['c-view', 'a-view', 'b-view']) {
      await createView(w, { key, name: key.toUpperCase() });
      await linkTo(w, key, 'flags', { keys: ['checkout'] });
    }
    await linkTo(w, 'b-view', 'segments', { segmentIdentifiers: [{ environmentId: w.env.test, segmentKey: 'staff' }] });
  });
  afterAll(() => w.s.close());

  it("a flag's views, by key, as Views", async () => {
    const res = await w.get('/api/v2/projects/shop/view-associations/flags/checkout');
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((v: { key: string }) => v.key)).toEqual(['a-view', 'b-view', 'c-view']);
    expect(res.body.items[0]).toMatchObject({ key: 'a-view', name: 'A-VIEW', projectKey: 'shop', version: 1 });
    expect(await keys('/api/v2/projects/shop/view-associations/flags/search')).toEqual([]);
  });

  it('pages with limit and offset', async () => {
    const res = await w.get('/api/v2/projects/shop/view-associations/flags/checkout?limit=2&offset=1');
    expect(res.body.items.map((v: { key: string }) => v.key)).toEqual(['b-view', 'c-view']);
    expect(res.body._links.prev.href).toBe('/api/v2/projects/shop/view-associations/flags/checkout?limit=2&offset=0');
  });

  it("a segment's views, in the environment environmentId names", async () => {
    expect(await keys(`/api/v2/projects/shop/view-associations/segments/staff?environmentId=${w.env.test}`)).toEqual(['b-view']);
    expect(await keys(`/api/v2/projects/shop/view-associations/segments/staff?environmentId=${w.env.production}`)).toEqual([]);
  });
});

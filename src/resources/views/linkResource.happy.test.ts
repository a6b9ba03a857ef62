// linkResource: flags by key (as Terraform's launchdarkly_view_links sends them) or by the flag list's filter, segments
// by environment and key or by the segment list's filter; the union linked, the missing reported; a flag or segment
// deleted leaves every view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('linkResource', () => {
  let w: ViewWorld;
  const linked = async (view: string, type: 'flags' | 'segments') => (await w.get(`${w.views}/${view}/linked/${type}?limit=100`)).body.items.map((i: { resourceKey: string; environmentKey?: string }) => (i.environmentKey ? `${i.environmentKey}/${i.resourceKey}` : i.resourceKey));
  beforeAll(async () => {
    w = await viewWorld();
    for (const key of ['squad', 'filtered', 'segs', 'cascade']) await createView(w, { key, name: key });
  });
  afterAll(() => w.s.close());

  it('links flags by key as Terraform sends them: 200 with each link', async () => {
    const body = await linkTo(w, 'squad', 'flags', { keys: ['checkout', 'search'], comment: 'Managed by Terraform' });
    expect(body).toEqual({
      successCount: 2,
      failureCount: 0,
      linkedResources: {
        items: [
          { _links: { parent: { href: '/api/v2/projects/shop/views/squad', type: 'application/json' }, self: { href: '/api/v2/flags/shop/checkout', type: 'application/json' } }, resourceKey: 'checkout', resourceType: 'flag', linkedAt: w.clock.now },
          { _links: { parent: { href: '/api/v2/projects/shop/views/squad', type: 'application/json' }, self: { href: '/api/v2/flags/shop/search', type: 'application/json' } }, resourceKey: 'search', resourceType: 'flag', linkedAt: w.clock.now },
        ],
        totalCount: 2,
      },
    });
    expect(await linked('squad', 'flags')).toEqual(['checkout', 'search']);
    const entries = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items;
    const entry = (await w.s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({
      accesses: [{ action: 'linkFlagToView', resource: 'proj/shop:view/squad' }],
      shortDescription: 'linked 2 flags to the view squad',
      comment: 'Managed by Terraform',
      delta: { keys: ['checkout', 'search'] },
      currentVersion: { linked: ['checkout', 'search'] },
    });
  });

  it('a key that names no flag is a failure with its reason; the others are linked', async () => {
    w.clock.now += 1_000;
    const body = await linkTo(w, 'squad', 'flags', { keys: ['legacy', 'nope'] });
    expect(body).toMatchObject({ successCount: 1, failureCount: 1, failedResources: [{ resourceKey: 'nope', resourceType: 'flag', errorMessage: 'Flag "nope" in project "shop" not found' }] });
    expect(body.linkedResources.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['legacy']);
    expect(await linked('squad', 'flags')).toEqual(['checkout', 'search', 'legacy']);
  });

  it('linking again keeps the first link (and its time), and records nothing', async () => {
    const first = (await w.get(`${w.views}/squad/linked/flags`)).body.items[0].linkedAt;
    const audited = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items.length;
    w.clock.now += 60_000;
    const body = await linkTo(w, 'squad', 'flags', { keys: ['checkout'] });
    expect(body.linkedResources.items[0].linkedAt).toBe(first);
    expect((await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items).toHaveLength(audited);
  });

  it('links the flags the flag list filter picks, with the keys named (the union); archived flags only when asked', async () => {
    expect((await linkTo(w, 'filtered', 'flags', { filter: 'tags:backend' })).successCount).toBe(1);
    expect(await linked('filtered', 'flags')).toEqual(['checkout']);
    expect((await linkTo(w, 'filtered', 'flags', { keys: ['search'], filter: 'state:archived' })).successCount).toBe(2);
    expect(await linked('filtered', 'flags')).toEqual(['checkout', 'legacy', 'search']);
    // LaunchDarkly's example: a maintainer and tags at once.
    const picked = await linkTo(w, 'filtered', 'flags', { filter: `maintainerId:${w.ownerId},tags:backend+beta` });
    expect(picked.linkedResources.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['checkout']);
  });

  it('links segments by environment and key (segmentIdentifiers), each with its environment', async () => {
    const body = await linkTo(w, 'segs', 'segments', {
      segmentIdentifiers: [
        { environmentId: w.env.production, segmentKey: 'beta-users' },
        { environmentId: w.env.test, segmentKey: 'beta-users' },
        { environmentId: w.env.test, segmentKey: 'ghost' },
        { environmentId: 'not-an-environment', segmentKey: 'staff' },
      ],
    });
    expect(body).toMatchObject({
      successCount: 2,
      failureCount: 2,
      failedResources: [
        { resourceKey: 'ghost', resourceType: 'segment', environmentId: w.env.test, errorMessage: 'Segment "ghost" in environment "test" of project "shop" not found' },
        { resourceKey: 'staff', resourceType: 'segment', environmentId: 'not-an-environment', errorMessage: 'Environment "not-an-environment" in project "shop" not found' },
      ],
    });
    expect(body.linkedResources.items[0]).toEqual({
      _links: { parent: { href: '/api/v2/projects/shop/views/segs', type: 'application/json' }, self: { href: '/api/v2/segments/shop/production/beta-users', type: 'application/json' } },
      resourceKey: 'beta-users',
      environmentId: w.env.production,
      environmentKey: 'production',
      resourceType: 'segment',
      linkedAt: w.clock.now,
    });
    expect(await linked('segs', 'segments')).toEqual(['production/beta-users', 'test/beta-users']);
  });

  it('links the segments the segment list filter picks in the environment named', async () => {
    const body = await linkTo(w, 'segs', 'segments', { filter: 'query equals "employees"', environmentId: w.env.production });
    expect(body.linkedResources.items.map((i: { resourceKey: string; environmentKey: string }) => `${i.environmentKey}/${i.resourceKey}`)).toEqual(['production/staff']);
    const entries = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/segs')).body.items;
    expect(entries[0].accesses).toEqual([{ action: 'linkSegmentToView', resource: 'proj/shop:view/segs' }]);
  });

  it('AI Configs: a key that is no AI Config of the project is reported failed (aiConfigs.happy.test.ts links real ones)', async () => {
    expect((await w.post(`${w.views}/squad/link/aiConfigs`, { keys: ['checkout'] })).body).toEqual({
      successCount: 0,
      failureCount: 1,
      linkedResources: { items: [], totalCount: 0 },
      failedResources: [{ resourceKey: 'checkout', resourceType: 'aiConfig', errorMessage: 'AI Config "checkout" in project "shop" not found' }],
    });
  });

  it('a flag or segment deleted leaves every view; one made again with its key is not linked', async () => {
    await linkTo(w, 'cascade', 'flags', { keys: ['search', 'checkout'] });
    await linkTo(w, 'cascade', 'segments', { segmentIdentifiers: [{ environmentId: w.env.test, segmentKey: 'staff' }] });
    expect((await w.s.del('/api/v2/flags/shop/search')).status).toBe(204);
    expect((await w.s.del('/api/v2/segments/shop/test/staff')).status).toBe(204);
    expect(await linked('cascade', 'flags')).toEqual(['checkout']);
    expect(await linked('squad', 'flags')).toEqual(['checkout', 'legacy']);
    expect(await linked('cascade', 'segments')).toEqual([]);
    expect((await w.get(`${w.views}/cascade?expand=resourceSummary`)).body.resourceSummary).toEqual({ flagCount: 1, segmentCount: 0, totalCount: 1 });
    expect((await w.s.post('/api/v2/flags/shop', { key: 'search', name: 'Search again' })).status).toBe(201);
    expect((await w.get('/api/v2/projects/shop/view-associations/flags/search')).body).toMatchObject({ items: [], totalCount: 0 });
    const rows = await w.s.store.db.selectFrom('view_flags').select('flag_id').execute();
    const flags = new Set((await w.s.store.db.selectFrom('flags').select('id').execute()).map((f) => f.id));
    expect(rows.every((row) => flags.has(row.flag_id))).toBe(true);
  });

  it('a project deleted takes its views and their links with it', async () => {
    expect((await w.s.post('/api/v2/projects', { key: 'gone', name: 'Gone' })).status).toBe(201);
    expect((await w.s.post('/api/v2/flags/gone', { key: 'f', name: 'F' })).status).toBe(201);
    expect((await w.post('/api/v2/projects/gone/views', { key: 'v', name: 'V' })).status).toBe(200);
    expect((await w.post('/api/v2/projects/gone/views/v/link/flags', { keys: ['f'] })).status).toBe(200);
    const before = (await w.s.store.db.selectFrom('view_flags').select('view_id').execute()).length;
    expect((await w.s.del('/api/v2/projects/gone')).status).toBe(204);
    expect((await w.s.store.db.selectFrom('view_flags').select('view_id').execute()).length).toBe(before - 1);
    expect(await w.s.store.db.selectFrom('views').select('key').where('key', '=', 'v').execute()).toEqual([]);
  });
});

// getView: one view with its maintainer (as Terraform reads it, without expand), and every linked flag's and
// segment's summary when expanded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('getView', () => {
  let w: ViewWorld;
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad', maintainerTeamKey: 'checkout-team', tags: ['t'] });
    await linkTo(w, 'squad', 'flags', { keys: ['search'] });
    w.clock.now += 1_000;
    await linkTo(w, 'squad', 'flags', { keys: ['checkout'] });
    await linkTo(w, 'squad', 'segments', { segmentIdentifiers: [{ environmentId: w.env.test, segmentKey: 'staff' }] });
  });
  afterAll(() => w.s.close());

  it('answers the view with its maintainer team, as Terraform reads it (no expand)', async () => {
    const res = await w.get(`${w.views}/squad`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'squad', name: 'Squad', tags: ['t'], maintainer: { kind: 'team', maintainerTeam: { key: 'checkout-team', name: 'Checkout team' } } });
    expect(res.body.flagsExpanded).toBeUndefined();
  });

  it('allFlags: every linked flag\'s summary, oldest link first, with its maintainer', async () => {
    const res = await w.get(`${w.views}/squad?expand=allFlags`);
    expect(res.body.flagsExpanded.totalCount).toBe(2);
    const [search, checkout] = res.body.flagsExpanded.items;
    expect(checkout).toEqual({
      key: 'checkout',
      name: 'Checkout',
      description: 'The new checkout',
      creationDate: expect.any(Number),
      _version: 1,
      archived: false,
      tags: ['backend', 'beta'],
      temporary: true,
      includeInSnippet: false,
      maintainer: {
        key: w.ownerId,
        kind: 'member',
        _member: { _links: { self: { href: `/api/v2/members/${w.ownerId}`, type: 'application/json' } }, _id: w.ownerId, firstName: 'iterlab', lastName: 'Owner', role: 'owner', email: 'owner@iterlab.local' },
      },
      _links: { parent: { href: '/api/v2/flags/shop', type: 'application/json' }, self: { href: '/api/v2/flags/shop/checkout', type: 'application/json' } },
    });
    expect(search.maintainer).toEqual({ key: 'checkout-team', kind: 'team', _team: { key: 'checkout-team', name: 'Checkout team', customRoleKeys: [], _links: { self: { href: '/api/v2/teams/checkout-team', type: 'application/json' } } } });
  });

  it('allSegments and allResources: the linked segments\' summaries, with their environments', async () => {
    const res = await w.get(`${w.views}/squad?expand=allSegments,allResources,resourceSummary,maintainer`);
    expect(res.body.segmentsExpanded.items).toEqual([
      {
        key: 'staff',
        name: 'Staff',
        environmentId: w.env.test,
        environmentKey: 'test',
        description: 'Employees',
        creationDate: expect.any(Number),
        lastModifiedDate: expect.any(Number),
        deleted: false,
        tags: [],
        unbounded: false,
        version: 1,
        generation: 1,
        _links: { parent: { href: '/api/v2/segments/shop/test', type: 'application/json' }, self: { href: '/api/v2/segments/shop/test/staff', type: 'application/json' } },
      },
    ]);
    expect(res.body.resourcesExpanded.totalCount).toBe(3);
    expect(res.body.resourcesExpanded.items.flags.items.map((f: { key: string }) => f.key)).toEqual(['search', 'checkout']);
    expect(res.body.resourcesExpanded.items.segments.items.map((s: { key: string }) => s.key)).toEqual(['staff']);
    expect(res.body.resourceSummary).toEqual({ flagCount: 2, segmentCount: 1, totalCount: 3 });
  });

  it('metrics and AI Configs (LaunchDarkly\'s newer expansions): iterlab links no metric, and this view no AI Config', async () => {
    const res = await w.get(`${w.views}/squad?expand=metricsSummary,aiConfigsSummary,allMetrics,allAIConfigs`);
    expect(res.body).toMatchObject({ metricsSummary: { count: 0 }, aiConfigsSummary: { count: 0 }, metricsExpanded: { items: [], totalCount: 0 }, aiConfigsExpanded: { items: [], totalCount: 0 } });
  });
});

// createView: a view as Terraform's launchdarkly_view creates one, and with LaunchDarkly's defaults; 200 with the
// View, an audit entry in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('createView', () => {
  let w: ViewWorld;
  beforeAll(async () => {
    w = await viewWorld();
  });
  afterAll(() => w.s.close());

  it('creates a view as Terraform sends it: 200 with every field LaunchDarkly documents', async () => {
    const res = await w.post(w.views, { key: 'checkout-squad', name: 'Checkout squad', description: 'Flags of the checkout squad', generateSdkKeys: true, maintainerId: w.ownerId, tags: ['team', 'checkout'] });
    expect(res.status).toBe(200);
    const project = (await w.s.get('/api/v2/projects/shop')).body;
    expect(res.body).toEqual({
      _links: { parent: { href: '/api/v2/projects/shop/views', type: 'application/json' }, self: { href: '/api/v2/projects/shop/views/checkout-squad', type: 'application/json' } },
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      accountId: w.s.deps.accountId,
      projectId: project._id,
      projectKey: 'shop',
      key: 'checkout-squad',
      name: 'Checkout squad',
      description: 'Flags of the checkout squad',
      generateSdkKeys: true,
      version: 1,
      tags: ['team', 'checkout'],
      createdAt: w.clock.now,
      updatedAt: w.clock.now,
      archived: false,
      deleted: false,
      maintainer: { id: w.ownerId, kind: 'member', maintainerMember: { id: w.ownerId, email: 'owner@iterlab.local', role: 'owner', firstName: 'iterlab', lastName: 'Owner' } },
    });
    expect((await w.get(`${w.views}/checkout-squad`)).body).toEqual(res.body);
  });

  it('key and name alone: no description (""), no SDK keys, no tags, no maintainer', async () => {
    const res = await w.post(w.views, { key: 'bare', name: 'Bare' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'bare', name: 'Bare', description: '', generateSdkKeys: false, tags: [], archived: false, version: 1 });
    expect(res.body.maintainer).toBeUndefined();
  });

  it('a team maintains a view (maintainerTeamKey)', async () => {
    const team = (await w.s.get('/api/v2/teams/checkout-team')).body;
    const res = await w.post(w.views, { key: 'team-owned', name: 'Team owned', maintainerTeamKey: 'checkout-team' });
    expect(res.status).toBe(200);
    expect(res.body.maintainer).toEqual({ id: team._id ?? expect.any(String), kind: 'team', maintainerTeam: { id: expect.any(String), key: 'checkout-team', name: 'Checkout team' } });
  });

  it('records createView in the audit log, on proj/shop:view/<key>', async () => {
    await w.post(w.views, { key: 'audited', name: 'Audited', tags: ['x'] });
    const entries = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/audited')).body.items;
    expect(entries).toHaveLength(1);
    const entry = (await w.s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({
      kind: 'view',
      name: 'Audited',
      description: 'created the view Audited',
      accesses: [{ action: 'createView', resource: 'proj/shop:view/audited' }],
      target: { _links: { canonical: { href: '/api/v2/projects/shop/views/audited' } } },
      currentVersion: { key: 'audited', tags: ['x'], version: 1 },
    });
  });
});

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
      _affectsSdkPayload: false,
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

  it("_affectsSdkPayload (2026-07) is false: no SDK key's payload is filtered by the view, generateSdkKeys or not", async () => {
    const BETA = { headers: { 'LD-API-Version': 'beta' } };
    const view = await w.post(w.views, { key: 'payload-view', name: 'Payload view', generateSdkKeys: true });
    expect(view.body).toMatchObject({ generateSdkKeys: true, _affectsSdkPayload: false });
    expect((await w.post(`${w.views}/payload-view/link/flags`, { keys: ['checkout'] })).body.successCount).toBe(1);
    const environmentKey = (await w.s.get('/api/v2/projects/shop/environments/production')).body.apiKey;
    const made = await w.s.post('/api/v2/projects/shop/environments/production/sdk-keys', { key: 'view-scoped', name: 'View scoped' }, BETA);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    for (const token of [environmentKey, made.body.value]) {
      const flags = Object.keys((await w.s.get('/sdk/latest-all', { token })).body.flags);
      // The linked flag and the unlinked one alike: the view filters nothing.
      expect(flags).toEqual(expect.arrayContaining(['checkout', 'search']));
    }
    expect((await w.get(`${w.views}/payload-view`)).body._affectsSdkPayload).toBe(false);
    expect((await w.get(w.views)).body.items.every((v: { _affectsSdkPayload: boolean }) => v._affectsSdkPayload === false)).toBe(true);
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

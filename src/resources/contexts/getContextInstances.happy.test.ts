// getContextInstances: one context instance's records (one per application), found by its id or its fully qualified key.
import { describe, expect, it } from 'vitest';
import { idOf, NODE_SDK, seededServer, SEEN } from '../../../test/support/contexts.js';

describe('getContextInstances', () => {
  const world = seededServer();

  it("a multi-context's instance: its id is base64url of the fully qualified key; anonymous kinds are listed, not kept", async () => {
    const id = idOf('org:launchdarkly:user:henry');
    const res = await world.s.get(`${world.base}/context-instances/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalCount: 1, _environmentId: (await world.s.get(world.base)).body._id });
    expect(res.body.items).toEqual([
      {
        lastSeen: new Date(SEEN.henryAtLaunchDarkly).toISOString(),
        id,
        applicationId: NODE_SDK,
        anonymousKinds: ['device'],
        context: { kind: 'multi', user: { key: 'henry', name: 'Henry Jacobs', country: 'US' }, org: { key: 'launchdarkly', name: 'LaunchDarkly', tier: 'gold' } },
        _links: {
          parent: { href: world.base, type: 'application/json' },
          self: { href: `${world.base}/context-instances/${id}`, type: 'application/json' },
          site: { href: `/shop/production/contexts/instances/${id}`, type: 'text/html' },
        },
      },
    ]);
  });

  it('a single org instance: org:launchdarkly is b3JnOmxhdW5jaGRhcmtseQ (as in LaunchDarkly\'s reference); one record per application', async () => {
    expect(idOf('org:launchdarkly')).toBe('b3JnOmxhdW5jaGRhcmtseQ');
    const res = await world.s.get(`${world.base}/context-instances/b3JnOmxhdW5jaGRhcmtseQ`);
    expect(res.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual(['web-app']);
    // A user's fully qualified key is its key alone; the key itself names the instance too.
    expect((await world.s.get(`${world.base}/context-instances/${idOf('sandy')}`)).body.items[0].context.name).toBe('Sandy S.');
    expect((await world.s.get(`${world.base}/context-instances/sandy`)).body.items[0].id).toBe(idOf('sandy'));
    const none = await world.s.get(`${world.base}/context-instances/${idOf('nobody')}`);
    expect(none.body).toMatchObject({ items: [], totalCount: 0 });
  });
});

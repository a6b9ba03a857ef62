// getContexts: one context's records, one per application that sent it.
import { describe, expect, it } from 'vitest';
import { NODE_SDK, NOW, seededServer, SEEN } from '../../../test/support/contexts.js';

describe('getContexts', () => {
  const world = seededServer();

  it("a context seen by two applications has a record from each, most recent first, each with that application's attributes", async () => {
    const res = await world.s.get(`${world.base}/contexts/org/launchdarkly`);
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(2);
    expect(res.body.items.map((i: { applicationId: string; context: { tier: string }; lastSeen: string }) => [i.applicationId, i.context.tier, i.lastSeen])).toEqual([
      ['web-app', 'platinum', new Date(SEEN.launchDarklyInWebApp).toISOString()],
      [NODE_SDK, 'gold', new Date(SEEN.henryAtLaunchDarkly).toISOString()],
    ]);
    // In the multi-context it came with Henry.
    expect(res.body.items[1].associatedContexts).toBe(1);
    expect(res.body._links.self.href).toBe(`${world.base}/contexts/org/launchdarkly?sort=-ts&limit=20`);
  });

  it('filter by applicationId; an unknown context has no records; a user key with a colon', async () => {
    const res = await world.s.get(`${world.base}/contexts/org/launchdarkly?filter=${encodeURIComponent('applicationId equals "web-app"')}`);
    expect(res.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual(['web-app']);
    const none = await world.s.get(`${world.base}/contexts/user/nobody`);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ items: [], totalCount: 0 });
    const sdkKey = (await world.s.get(world.base)).body.apiKey;
    await world.s.request('POST', '/bulk', { body: [{ kind: 'identify', creationDate: NOW - 1, context: { kind: 'user', key: 'a:b%c' } }], token: sdkKey });
    const odd = await world.s.get(`${world.base}/contexts/user/${encodeURIComponent('a:b%c')}`);
    expect(odd.body.items.map((i: { context: { key: string } }) => i.context.key)).toEqual(['a:b%c']);
  });
});

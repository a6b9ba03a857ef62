// getUsers: the Contexts API's contexts of kind user, one record per key (as last seen), in LaunchDarkly's legacy
// user format, by key, paged by searchAfter.
import { describe, expect, it } from 'vitest';
import { SEEN } from '../../../test/support/contexts.js';
import { usersServer } from '../../../test/support/users.js';

describe('getUsers', () => {
  const world = usersServer();

  it("every user by key with totalCount, whether sent alone, in a multi-context or in the older format; LaunchDarkly's record", async () => {
    const res = await world.s.get(world.users);
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(4);
    expect(res.body._links).toEqual({ self: { href: `${world.users}?limit=20`, type: 'application/json' } });
    expect(res.body.items.map((i: { user: { key: string } }) => i.user.key)).toEqual(['abbie', 'henry', 'kai', 'sandy']);
    const environmentId = (await world.s.get('/api/v2/projects/shop/environments/production')).body._id;
    const ownerId = (await world.s.get('/api/v2/caller-identity')).body.accountId;
    expect(res.body.items[3]).toEqual({
      lastPing: new Date(SEEN.sandy).toISOString(),
      environmentId,
      ownerId,
      user: { key: 'sandy', name: 'Sandy S.', email: 'sandy@example.com', country: 'NZ', custom: { tags: ['beta', 'pro'], address: { city: 'Wellington' } } },
      _links: {
        parent: { href: world.users, type: 'application/json' },
        self: { href: `${world.users}/sandy`, type: 'application/json' },
        settings: { href: `${world.users}/sandy/flags`, type: 'text/html' },
        site: { href: '/shop/production/users/sandy', type: 'text/html' },
      },
    });
    // henry came only with his org (and an anonymous device): his own attributes.
    expect(res.body.items[1].user).toEqual({ key: 'henry', name: 'Henry Jacobs', country: 'US' });
  });

  it('limit pages by key; next carries searchAfter, the last key shown, until the end', async () => {
    const first = await world.s.get(`${world.users}?limit=3`);
    expect(first.body.items.map((i: { user: { key: string } }) => i.user.key)).toEqual(['abbie', 'henry', 'kai']);
    expect(first.body._links.next).toEqual({ href: `${world.users}?limit=3&searchAfter=kai`, type: 'application/json' });
    const second = await world.s.get(first.body._links.next.href);
    expect(second.body).toMatchObject({ totalCount: 4, _links: { self: { href: `${world.users}?limit=3&searchAfter=kai` } } });
    expect(second.body.items.map((i: { user: { key: string } }) => i.user.key)).toEqual(['sandy']);
    expect(second.body._links.next).toBeUndefined();
  });
});

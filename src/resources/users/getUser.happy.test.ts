// getUser: one user as the SDKs last sent it, in LaunchDarkly's legacy user format.
import { describe, expect, it } from 'vitest';
import { NOW, SEEN } from '../../../test/support/contexts.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { sendUsers, usersServer } from '../../../test/support/users.js';

describe('getUser', () => {
  const world = usersServer();

  it("the latest attributes; built-ins at the top, the rest (and a built-in of another type) in custom, the older format's custom kept; redacted ones as privateAttrs", async () => {
    const abbie = await world.s.get(`${world.users}/abbie`);
    expect(abbie.status).toBe(200);
    expect(abbie.body.user).toEqual({ key: 'abbie', firstName: 'Abbie', lastName: 'Braun', email: 'abbie@example.com', custom: { activeTrial: false, groups: ['beta', 'pro'], ip: 127 } });
    const kai = await world.s.get(`${world.users}/kai`);
    expect(kai.body).toMatchObject({ lastPing: new Date(SEEN.kai).toISOString(), user: { key: 'kai', name: 'Kai', country: 'NZ', privateAttrs: ['email'] } });
    expect(kai.body).not.toHaveProperty('sortValue');
    expect((await world.s.get(`${world.users}/sandy`)).body).toEqual((await world.s.get(world.users)).body.items[3]);
  });

  it('a user an SDK from before contexts sent (event schema 3, the user inline) is a user, as its own format shows it', async () => {
    const sdkKey = await sdkKeyOf(world.s, 'shop');
    const events = [{ kind: 'index', creationDate: NOW - 5, user: { key: 'old-sdk', firstName: 'Olga', custom: { plan: 'pro' }, privateAttrs: ['email'] } }];
    expect((await world.s.request('POST', '/bulk', { body: events, token: sdkKey, headers: { 'x-launchdarkly-event-schema': '3', 'user-agent': 'NodeJSClient/5.14.0' } })).status).toBe(202);
    const res = await world.s.get(`${world.users}/old-sdk`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lastPing: new Date(NOW - 5).toISOString(), user: { key: 'old-sdk', firstName: 'Olga', custom: { plan: 'pro' }, privateAttrs: ['email'] } });
    const contexts = await world.s.get(`/api/v2/projects/shop/environments/production/contexts/user/old-sdk`);
    expect(contexts.body.items).toMatchObject([{ applicationId: 'NodeJSClient/5.14.0', context: { kind: 'user', key: 'old-sdk', firstName: 'Olga', plan: 'pro', _meta: { redactedAttributes: ['email'] } } }]);
  });

  it('the latest of every application and instance; a key that needs escaping is escaped in the links', async () => {
    await sendUsers(world.s, [{ context: { kind: 'multi', user: { key: 'a b/c', name: 'Older' }, org: { key: 'acme' } }, at: NOW - 2 }, { context: { kind: 'user', key: 'a b/c', name: 'Newer' }, at: NOW - 1 }]);
    const res = await world.s.get(`${world.users}/${encodeURIComponent('a b/c')}`);
    expect(res.body.user).toEqual({ key: 'a b/c', name: 'Newer' });
    expect(res.body._links.self.href).toBe(`${world.users}/a%20b%2Fc`);
  });
});

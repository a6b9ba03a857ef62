// The legacy Users API with the official clients only: @launchdarkly/node-server-sdk evaluates a flag for a few
// users (one in the SDKs' older user format, one beside an org in a multi-context) and sends its events;
// launchdarkly-api-typescript's UsersApi lists, searches, reads and deletes them, UsersBetaApi names their attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, EnvironmentsApi, UsersApi, UsersBetaApi } from 'launchdarkly-api-typescript';
import { sdkClient } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('official clients: the users an SDK sends, through UsersApi', () => {
  let s: TestServer;
  let users: UsersApi;
  let config: Configuration;
  const project = 'legacy';
  const env = 'production';

  beforeAll(async () => {
    s = await startServer({ listen: true });
    await s.post('/api/v2/projects', { name: 'Legacy', key: project });
    await s.post(`/api/v2/flags/${project}`, { key: 'banner', name: 'Banner' });
    config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    users = new UsersApi(config);
    const environment = (await new EnvironmentsApi(config).getEnvironment(project, env)).data;
    const client = sdkClient(s.url, environment.apiKey, { sendEvents: true, flushInterval: 3600, privateAttributes: ['email'] });
    try {
      await client.waitForInitialization({ timeout: 10 });
      await client.variation('banner', { kind: 'user', key: 'sandy', name: 'Sandy Smith', email: 'sandy@example.com', country: 'NZ' }, false);
      // The older user format, which the SDK still takes.
      await client.variation('banner', { key: 'abbie', firstName: 'Abbie', lastName: 'Braun', custom: { plan: 'pro' } } as never, false);
      await client.variation('banner', { kind: 'multi', user: { key: 'henry', name: 'Henry' }, org: { key: 'acme' } }, false);
      await client.variation('banner', { kind: 'user', key: 'anon', anonymous: true }, false);
      await client.flush();
    } finally {
      client.close();
    }
  });
  afterAll(() => s.close());

  it('getUsers: every user the SDK sent, not the anonymous one, by key, with the total', async () => {
    const { data } = await users.getUsers(project, env, 2);
    expect(data.totalCount).toBe(3);
    expect(data.items.map((i) => i.user?.key)).toEqual(['abbie', 'henry']);
    const next = await users.getUsers(project, env, 2, 'henry');
    expect(next.data.items.map((i) => i.user?.key)).toEqual(['sandy']);
    expect(data._links?.next?.href).toBe(`/api/v2/users/${project}/${env}?limit=2&searchAfter=henry`);
  });

  it('getSearchUsers: q, filter and sort', async () => {
    const found = await users.getSearchUsers(project, env, 'smith');
    expect(found.data.items.map((i) => i.user?.key)).toEqual(['sandy']);
    const filtered = await users.getSearchUsers(project, env, undefined, undefined, undefined, undefined, 'userKey', undefined, 'plan:pro');
    expect(filtered.data.items).toEqual([expect.objectContaining({ user: expect.objectContaining({ key: 'abbie' }), sortValue: 'abbie' })]);
  });

  it('getUser: the attributes as the SDK sent them, in the User format; its private ones named', async () => {
    const sandy = (await users.getUser(project, env, 'sandy')).data;
    expect(sandy.user).toEqual({ key: 'sandy', name: 'Sandy Smith', country: 'NZ', privateAttrs: ['email'] });
    expect((await users.getUser(project, env, 'abbie')).data.user).toEqual({ key: 'abbie', firstName: 'Abbie', lastName: 'Braun', custom: { plan: 'pro' } });
  });

  it('getUserAttributeNames (beta, the header in baseOptions)', async () => {
    const beta = new UsersBetaApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    expect((await beta.getUserAttributeNames(project, env)).data).toEqual({ private: ['email'], custom: ['plan'], standard: ['key', 'country', 'firstName', 'lastName', 'name'] });
  });

  it('deleteUser forgets a user; one in a multi-context is a 409', async () => {
    expect((await users.deleteUser(project, env, 'sandy')).status).toBe(204);
    await expect(users.getUser(project, env, 'sandy')).rejects.toMatchObject({ response: { status: 404 } });
    await expect(users.deleteUser(project, env, 'henry')).rejects.toMatchObject({ response: { status: 409, data: { code: 'conflict' } } });
  });
});

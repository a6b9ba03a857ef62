// The Contexts API with the official clients only: @launchdarkly/node-server-sdk evaluates flags for contexts (a
// user, a multi-context with an anonymous device) and sends its events; launchdarkly-api-typescript's ContextsApi
// searches, reads, counts attributes and deletes over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, ContextsApi, EnvironmentsApi } from 'launchdarkly-api-typescript';
import { sdkClient } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('official clients: the contexts an SDK sends, through ContextsApi', () => {
  let s: TestServer;
  let contexts: ContextsApi;
  const project = 'ctx';
  const env = 'production';

  beforeAll(async () => {
    s = await startServer({ listen: true });
    await s.post('/api/v2/projects', { name: 'Ctx', key: project });
    await s.post(`/api/v2/flags/${project}`, { key: 'banner', name: 'Banner' });
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    contexts = new ContextsApi(config);
    const environment = (await new EnvironmentsApi(config).getEnvironment(project, env)).data;
    const client = sdkClient(s.url, environment.apiKey, { sendEvents: true, flushInterval: 3600 });
    try {
      await client.waitForInitialization({ timeout: 10 });
      await client.variation('banner', { kind: 'user', key: 'sandy', name: 'Sandy', country: 'NZ' }, false);
      await client.variation('banner', { kind: 'multi', user: { key: 'henry', name: 'Henry', country: 'US' }, org: { key: 'acme', name: 'Acme' }, device: { key: 'd1', anonymous: true } }, false);
      await client.variation('banner', { kind: 'user', key: 'anon', anonymous: true }, false);
      await client.flush();
    } finally {
      client.close();
    }
  });
  afterAll(() => s.close());

  it('searchContexts and getContexts: the SDK\'s contexts, not the anonymous ones, with the SDK as their application', async () => {
    const { data } = await contexts.searchContexts(project, env, {});
    const keys = data.items.map((i) => `${(i.context as { kind: string }).kind}:${(i.context as { key: string }).key}`).sort();
    expect(keys).toEqual(['org:acme', 'user:henry', 'user:sandy']);
    expect(data.totalCount).toBe(3);
    for (const item of data.items) expect(item.applicationId).toMatch(/^NodeJSClient\//);
    const users = await contexts.searchContexts(project, env, { filter: 'kind equals user,user.country equals "NZ"' });
    expect(users.data.items.map((i) => (i.context as { name: string }).name)).toEqual(['Sandy']);
    const henry = await contexts.getContexts(project, env, 'user', 'henry');
    expect(henry.data.items).toHaveLength(1);
    expect(henry.data.items[0]).toMatchObject({ context: { kind: 'user', key: 'henry', name: 'Henry' }, associatedContexts: 1 });
  });

  it('searchContextInstances and getContextInstances: the multi-context is one instance, its anonymous device listed', async () => {
    const { data } = await contexts.searchContextInstances(project, env, { filter: 'kindKeys contains ["user:henry"]' });
    expect(data.items).toHaveLength(1);
    const instance = data.items[0];
    expect(instance).toMatchObject({ anonymousKinds: ['device'], context: { kind: 'multi', org: { key: 'acme' }, user: { key: 'henry' } } });
    expect(Buffer.from(instance.id, 'base64url').toString()).toBe('org:acme:user:henry');
    const read = await contexts.getContextInstances(project, env, instance.id);
    expect(read.data.items.map((i) => i.id)).toEqual([instance.id]);
  });

  it('getContextAttributeNames and getContextAttributeValues count the contexts', async () => {
    const names = (await contexts.getContextAttributeNames(project, env, 'kind equals user')).data.items;
    expect(names).toEqual([{ kind: 'user', names: [{ name: '/country', weight: 2 }, { name: '/key', weight: 2 }, { name: '/name', weight: 2 }] }]);
    const values = (await contexts.getContextAttributeValues(project, env, 'country')).data.items;
    expect(values).toEqual([{ kind: 'user', values: [{ name: 'NZ', weight: 1 }, { name: 'US', weight: 1 }] }]);
  });

  it('deleteContextInstances forgets an instance', async () => {
    const id = Buffer.from('sandy').toString('base64url');
    const res = await contexts.deleteContextInstances(project, env, id);
    expect(res.status).toBe(204);
    expect((await contexts.getContexts(project, env, 'user', 'sandy')).data.items).toEqual([]);
  });
});

// deleteContextInstances: who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteContextInstances: security', () => {
  let s: TestServer;
  let base: string;
  const call = (path: string, options: { body?: unknown; token?: string | null } = {}) => s.request('DELETE', `${base}${path}`, options);
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('401 without a token, and for an SDK key (not an access token); a reader may not delete: 403, nothing deleted', async () => {
    const sdkKey = (await s.get(base)).body.apiKey;
    for (const token of [null, sdkKey]) {
      const res = await call('/context-instances/c2FuZHk', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
    const res = await call('/context-instances/c2FuZHk', { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get(`${base}/context-instances/c2FuZHk`)).body.items).toHaveLength(1);
  });

  it('a custom role without deleteContextInstances on the environment is refused, naming the action; one with it may', async () => {
    const role = async (key: string, effect: 'allow' | 'deny') =>
      expect((await s.post('/api/v2/roles', { key, name: key, policy: [{ effect, actions: ['deleteContextInstances'], resources: ['proj/shop:env/production'] }, { effect: 'allow', actions: ['*'], resources: ['proj/*'] }] })).status).toBe(201);
    await role('no-delete', 'deny');
    await role('may-delete', 'allow');
    const tokenFor = async (customRoleIds: string[]) => (await s.post('/api/v2/tokens', { name: customRoleIds[0], customRoleIds })).body.token as string;
    const refused = await call('/context-instances/c2FuZHk', { token: await tokenFor(['no-delete']) });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('deleteContextInstances');
    expect((await call('/context-instances/c2FuZHk', { token: await tokenFor(['may-delete']) })).status).toBe(204);
  });
});

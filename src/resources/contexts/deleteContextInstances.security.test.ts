// deleteContextInstances: who may call it.
import { describe, expect, it } from 'vitest';
import { deleteContextInstancesTokens, seededServer } from '../../../test/support/contexts.js';

describe('deleteContextInstances: security', () => {
  const world = seededServer();
  const call = (path: string, options: { body?: unknown; token?: string | null } = {}) => world.s.request('DELETE', `${world.base}${path}`, options);

  it('401 without a token, and for an SDK key (not an access token); a reader may not delete: 403, nothing deleted', async () => {
    const sdkKey = (await world.s.get(world.base)).body.apiKey;
    for (const token of [null, sdkKey]) {
      const res = await call('/context-instances/c2FuZHk', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
    const res = await call('/context-instances/c2FuZHk', { token: world.s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await world.s.get(`${world.base}/context-instances/c2FuZHk`)).body.items).toHaveLength(1);
  });

  it('a custom role without deleteContextInstances on the environment is refused, naming the action; one with it may', async () => {
    const { denied, allowed } = await deleteContextInstancesTokens(world.s);
    const refused = await call('/context-instances/c2FuZHk', { token: denied });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('deleteContextInstances');
    expect((await call('/context-instances/c2FuZHk', { token: allowed })).status).toBe(204);
  });
});

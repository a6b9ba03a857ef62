// The Users API: who may call it. Readers read; deleting needs a writer, or a custom role's deleteContextInstances
// on the environment, as deleteContextInstances does.
import { describe, expect, it } from 'vitest';
import { deleteContextInstancesTokens } from '../../../test/support/contexts.js';
import { usersServer } from '../../../test/support/users.js';

const BETA = { 'LD-API-Version': 'beta' };
const READS = ['/api/v2/users/shop/production', '/api/v2/user-search/shop/production?q=s', '/api/v2/users/shop/production/sandy', '/api/v2/user-attributes/shop/production'];

describe('Users API: security', () => {
  const world = usersServer();

  it('401 without a token, and for an SDK key (not an access token), on every operation', async () => {
    const sdkKey = (await world.s.get('/api/v2/projects/shop/environments/production')).body.apiKey;
    for (const token of [null, sdkKey]) {
      for (const [method, path] of [...READS.map((p) => ['GET', p]), ['DELETE', `${world.users}/sandy`]]) {
        const res = await world.s.request(method, path, { token, headers: BETA });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    }
  });

  it('a reader reads everything and writes nothing; it may not delete (403, the user stays)', async () => {
    for (const path of READS) expect((await world.s.get(path, { token: world.s.tokens.reader, headers: BETA })).status, path).toBe(200);
    const res = await world.s.del(`${world.users}/sandy`, { token: world.s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await world.s.get(`${world.users}/sandy`)).status).toBe(200);
  });

  it('custom roles: reading needs only the project; deleting is refused without deleteContextInstances on the environment, naming it', async () => {
    const { denied, allowed } = await deleteContextInstancesTokens(world.s);
    for (const path of READS) expect((await world.s.get(path, { token: denied, headers: BETA })).status, path).toBe(200);
    const res = await world.s.del(`${world.users}/sandy`, { token: denied });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('deleteContextInstances on proj/shop:env/production');
    expect((await world.s.del(`${world.users}/sandy`, { token: allowed })).status).toBe(204);
  });
});

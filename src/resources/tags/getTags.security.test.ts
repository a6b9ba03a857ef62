// GET /api/v2/tags security: a token is needed, and a custom-role token sees the tags of the projects it may view
// only, never another project's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getTags security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'secret']) {
      expect((await s.post('/api/v2/projects', { key, name: key, tags: [`team-${key}`] })).status).toBe(201);
      expect((await s.post(`/api/v2/flags/${key}`, { key: 'f', name: 'F', tags: [`flag-${key}`] })).status).toBe(201);
    }
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      const res = await s.get('/api/v2/tags', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('a reader sees every project\'s tags; a custom role only those of the projects it may view', async () => {
    expect((await s.get('/api/v2/tags', { token: s.tokens.reader })).body.items).toEqual(['flag-secret', 'flag-shop', 'team-secret', 'team-shop']);
    const role = await s.post('/api/v2/roles', { key: 'shop-viewer', name: 'Shop viewer', policy: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] });
    expect(role.status).toBe(201);
    const token = await s.post('/api/v2/tokens', { name: 'shop viewer', customRoleIds: ['shop-viewer'] });
    expect(token.status).toBe(201);
    const seen = await s.get('/api/v2/tags', { token: token.body.token });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ items: ['flag-shop', 'team-shop'], totalCount: 2 });
  });
});

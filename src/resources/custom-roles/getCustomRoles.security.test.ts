import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getCustomRoles: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
  });
  afterAll(() => s.close());

  it('any token may list roles (reader, writer, admin); 401 without a token or with an unknown one', async () => {
    for (const role of ['reader', 'writer', 'admin'] as const) {
      const res = await s.get('/api/v2/roles', { token: s.tokens[role] });
      expect(res.status, role).toBe(200);
      expect(res.body.items.map((r: { key: string }) => r.key)).toEqual(['ops']);
    }
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      const res = await s.get('/api/v2/roles', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    }
  });

  it('a huge limit or offset is a page, not a fault', async () => {
    expect((await s.get('/api/v2/roles?limit=2147483647&offset=2147483647')).body).toMatchObject({ items: [], totalCount: 1 });
    const res = await s.get('/api/v2/roles?limit=99999999999999999999');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].attribute).toBe('limit');
  });
});

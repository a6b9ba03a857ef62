import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteToken', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('revokes the token: it stops working, and the audit log records it once', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'ci', role: 'reader' });
    expect((await s.del(`/api/v2/tokens/${created.body._id}`)).status).toBe(204);
    expect((await s.get('/api/v2/projects', { token: created.body.token })).status).toBe(401);
    const again = await s.del(`/api/v2/tokens/${created.body._id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ code: 'not_found', message: `Access token "${created.body._id}" not found` });
  });

  it('concurrent revokes of one token: one 204 and one audit entry, the rest 404', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'raced', role: 'reader' });
    const results = await Promise.all(Array.from({ length: 6 }, () => s.del(`/api/v2/tokens/${created.body._id}`)));
    expect(results.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404]);
    const entries = await s.store.db.selectFrom('audit_log').select('id').where('resource', 'like', `%token/${created.body._id}`).where('kind', '=', 'token').execute();
    expect(entries).toHaveLength(2); // its creation and one revocation
  });
});

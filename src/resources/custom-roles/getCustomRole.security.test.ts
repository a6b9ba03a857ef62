import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getCustomRole: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body._id;
  });
  afterAll(() => s.close());

  it('any token may read a role, by key or id; 401 without a token or with an unknown one', async () => {
    for (const role of ['reader', 'writer', 'admin'] as const) {
      expect((await s.get('/api/v2/roles/ops', { token: s.tokens[role] })).status, role).toBe(200);
      expect((await s.get(`/api/v2/roles/${id}`, { token: s.tokens[role] })).status, role).toBe(200);
    }
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      const res = await s.get('/api/v2/roles/ops', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    }
  });

  it('a key that reads like SQL or a path finds nothing and breaks nothing', async () => {
    for (const key of ["ops'%20or%20'1'='1", 'ops%25', '%2e%2e%2fops']) {
      const res = await s.get(`/api/v2/roles/${key}`);
      expect(res.status, key).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    // PostgreSQL text cannot hold NUL: the edge refuses it before any query.
    expect(await s.get('/api/v2/roles/ops%00')).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    expect((await s.get('/api/v2/roles/ops')).status).toBe(200);
  });
});

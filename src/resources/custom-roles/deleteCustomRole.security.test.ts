import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteCustomRole: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [{ effect: 'deny', resources: ['proj/*'], actions: ['*'] }] })).body._id;
  });
  afterAll(() => s.close());

  it('only an admin deletes a role: 403 for a reader and a writer, 401 without a token or with an unknown one; the role stays', async () => {
    for (const path of ['/api/v2/roles/ops', `/api/v2/roles/${id}`]) await expectAdminOnly(s, (token) => s.del(path, { token }));
    expect((await s.get('/api/v2/roles/ops')).status).toBe(200);
    expect((await s.del('/api/v2/roles/ops', { token: s.tokens.admin })).status).toBe(204);
  });

  it('a key that looks like a pattern deletes nothing else', async () => {
    for (const key of ['a', 'ab', 'b']) await s.post('/api/v2/roles', { key, name: key, policy: [] });
    for (const key of ['%25', 'a%25', '*', '_']) expect((await s.del(`/api/v2/roles/${key}`)).status, key).toBe(404);
    expect((await s.get('/api/v2/roles')).body.totalCount).toBe(3);
  });
});

// patchCustomRole and deleteCustomRole take a role's key or `_id`: either way the custom role's resource is
// `role/{key}`, so that a deny on a role's key cannot be passed by naming the role by its id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('custom roles by _id: security', () => {
  let s: TestServer;
  let caller: string;
  const rename = [{ op: 'replace', path: '/name', value: 'renamed' }];
  const create = async (key: string, policy: unknown[] = []): Promise<string> => {
    const res = await s.post('/api/v2/roles', { key, name: key, policy });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body._id;
  };
  beforeAll(async () => {
    s = await startServer();
    const roleAdmin = await create('role-admin', [
      { effect: 'allow', resources: ['role/*'], actions: ['*'] },
      { effect: 'deny', resources: ['role/guarded'], actions: ['*'] },
    ]);
    const made = await s.post('/api/v2/tokens', { name: 'role admin', customRoleIds: [roleAdmin] });
    expect(made.status).toBe(201);
    caller = made.body.token;
  });
  afterAll(() => s.close());

  it('a deny on role/{key} holds when the path names the role by _id: PATCH and DELETE are 403 and change nothing', async () => {
    const id = await create('guarded');
    for (const path of [`/api/v2/roles/${id}`, '/api/v2/roles/guarded']) {
      for (const send of [() => s.patch(path, rename, { token: caller }), () => s.del(path, { token: caller })]) {
        const res = await unchangedBy(s.store, send);
        expect(res.status, path).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(res.body.message).toContain('role/guarded');
      }
    }
    expect((await s.get('/api/v2/roles/guarded')).body.name).toBe('guarded');
  });

  it('a role the policy allows is patched and deleted by _id', async () => {
    const id = await create('allowed');
    const patched = await s.patch(`/api/v2/roles/${id}`, rename, { token: caller });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ _id: id, key: 'allowed', name: 'renamed' });
    expect((await s.del(`/api/v2/roles/${id}`, { token: caller })).status).toBe(204);
    expect((await s.get('/api/v2/roles/allowed')).status).toBe(404);
  });

  it('an admin patches and deletes a denied role by _id', async () => {
    const id = await create('guarded-by-admin');
    expect((await s.patch(`/api/v2/roles/${id}`, rename)).status).toBe(200);
    expect((await s.del(`/api/v2/roles/${id}`)).status).toBe(204);
  });

  it('an unknown key or id is a 404 to a token the policy lets manage roles', async () => {
    for (const path of ['/api/v2/roles/no-such-role', '/api/v2/roles/0123456789abcdef01234567']) {
      expect((await s.patch(path, rename, { token: caller })).status, path).toBe(404);
      expect((await s.del(path, { token: caller })).status, path).toBe(404);
    }
  });
});

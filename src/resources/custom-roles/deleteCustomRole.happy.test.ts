import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../http/context.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteCustomRole: happy path', () => {
  let s: TestServer;
  const notices: (ChangeNotice | null)[] = [];
  const create = async (key: string) => (await s.post('/api/v2/roles', { key, name: `Role ${key}`, policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body;
  beforeAll(async () => {
    s = await startServer();
    s.bus.subscribe((notice) => notices.push(notice));
  });
  afterAll(() => s.close());

  it('204 by key; the role is gone from the list and by key and id; the change is announced', async () => {
    const role = await create('old');
    await create('kept');
    const res = await s.del('/api/v2/roles/old');
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get('/api/v2/roles/old')).status).toBe(404);
    expect((await s.get(`/api/v2/roles/${role._id}`)).status).toBe(404);
    expect((await s.get('/api/v2/roles')).body).toMatchObject({ items: [expect.objectContaining({ key: 'kept' })], totalCount: 1 });
    expect(notices).toContainEqual({ kind: 'custom-role', id: role._id });
  });

  it('204 by _id', async () => {
    const role = await create('by-id');
    expect((await s.del(`/api/v2/roles/${role._id}`)).status).toBe(204);
    expect((await s.get('/api/v2/roles/by-id')).status).toBe(404);
  });

  it('records a deleteRole audit entry holding the role as it was', async () => {
    const role = await create('audited');
    await s.del('/api/v2/roles/audited');
    const rows = await s.store.db.selectFrom('audit_log').select(['kind', 'doc']).where('resource', '=', 'role/audited').orderBy('date').orderBy('id').execute();
    expect(rows.map((r) => r.kind)).toEqual(['role', 'role']);
    expect(JSON.parse(rows[1].doc)).toMatchObject({ action: 'deleteRole', name: 'Role audited', description: 'deleted the custom role Role audited', before: role });
  });

  it('the key is free again once deleted', async () => {
    const first = await create('reused');
    await s.del('/api/v2/roles/reused');
    const second = await s.post('/api/v2/roles', { key: 'reused', name: 'Again', policy: [] });
    expect(second.status).toBe(201);
    expect(second.body._id).not.toBe(first._id);
  });
});

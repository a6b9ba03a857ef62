// Changing one member: role, custom roles (by id or key, added one at a time or replaced), role attributes and name,
// each change a new version and an audit entry; a patch that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMember', () => {
  let s: TestServer;
  let id: string;
  let roleId: string;
  beforeAll(async () => {
    s = await startServer();
    roleId = (await s.post('/api/v2/roles', { key: 'qa', name: 'QA', policy: [] })).body._id;
    await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [] });
    id = (await s.post('/api/v2/members', [{ email: 'sam@acme.com', role: 'reader' }])).body.items[0]._id;
  });
  afterAll(() => s.close());

  it("the spec's example: add /role", async () => {
    const res = await s.patch(`/api/v2/members/${id}`, [{ op: 'add', path: '/role', value: 'writer' }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: id, role: 'writer', version: 2 });
  });

  it('custom roles: added at /customRoles/0 by id, appended by key, replaced as a list; shown as ids', async () => {
    expect((await s.patch(`/api/v2/members/${id}`, [{ op: 'add', path: '/customRoles/0', value: roleId }])).body.customRoles).toEqual([roleId]);
    const appended = await s.patch(`/api/v2/members/${id}`, [{ op: 'add', path: '/customRoles/-', value: 'ops' }]);
    const opsId = (await s.get('/api/v2/roles/ops')).body._id;
    expect(appended.body.customRoles).toEqual([roleId, opsId]);
    const replaced = await s.patch(`/api/v2/members/${id}`, { patch: [{ op: 'replace', path: '/customRoles', value: ['ops'] }], comment: 'only ops' });
    expect(replaced.body.customRoles).toEqual([opsId]);
    expect((await s.get('/api/v2/roles/qa')).body.assignedTo.membersCount).toBe(0);
    expect((await s.get('/api/v2/roles/ops')).body.assignedTo.membersCount).toBe(1);
  });

  it('role attributes and names', async () => {
    const res = await s.patch(`/api/v2/members/${id}`, [
      { op: 'replace', path: '/roleAttributes', value: { projectKeys: ['web'] } },
      { op: 'replace', path: '/firstName', value: 'Sam' },
      { op: 'replace', path: '/lastName', value: 'Lee' },
    ]);
    expect(res.body).toMatchObject({ roleAttributes: { projectKeys: ['web'] }, firstName: 'Sam', lastName: 'Lee' });
  });

  it('a member without role attributes shows none; they can still be added one by one or as a map, and emptied away', async () => {
    const other = (await s.post('/api/v2/members', [{ email: 'kim@acme.com', role: 'reader' }])).body.items[0];
    expect(other).not.toHaveProperty('roleAttributes');
    expect((await s.get(`/api/v2/members/${other._id}`)).body).not.toHaveProperty('roleAttributes');
    const added = await s.patch(`/api/v2/members/${other._id}`, [{ op: 'add', path: '/roleAttributes/projectKeys', value: ['web'] }]);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.roleAttributes).toEqual({ projectKeys: ['web'] });
    const emptied = await s.patch(`/api/v2/members/${other._id}`, [{ op: 'replace', path: '/roleAttributes', value: {} }]);
    expect(emptied.status).toBe(200);
    expect(emptied.body).not.toHaveProperty('roleAttributes');
    const replaced = await s.patch(`/api/v2/members/${other._id}`, [{ op: 'replace', path: '/roleAttributes', value: { envKeys: ['prod'] } }]);
    expect(replaced.body.roleAttributes).toEqual({ envKeys: ['prod'] });
  });

  it('a patch that changes nothing keeps the version and writes no audit entry', async () => {
    const before = (await s.get(`/api/v2/members/${id}`)).body;
    const entries = (await s.get('/api/v2/auditlog')).body.items.length;
    const res = await s.patch(`/api/v2/members/${id}`, [{ op: 'replace', path: '/role', value: before.role }, { op: 'test', path: '/email', value: 'sam@acme.com' }]);
    expect(res.body).toEqual(before);
    expect((await s.get('/api/v2/auditlog')).body.items.length).toBe(entries);
  });
});

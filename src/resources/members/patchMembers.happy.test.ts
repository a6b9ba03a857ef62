// The bulk semantic patch: roles, custom roles and role attributes of listed members or of every member the filters
// leave in; the owner is reported in `errors` and the others are changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMembers', () => {
  let s: TestServer;
  let ids: string[];
  let owner: string;
  const member = async (id: string) => (await s.get(`/api/v2/members/${id}`)).body;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/roles', { key: 'qa', name: 'QA', policy: [] });
    ids = (await s.post('/api/v2/members', [{ email: 'a@acme.com', customRoles: ['qa'] }, { email: 'b@acme.com' }, { email: 'c@acme.com', role: 'writer' }])).body.items.map((m: { _id: string }) => m._id);
    owner = (await s.get('/api/v2/members/me')).body._id;
  });
  afterAll(() => s.close());

  it("replaceMembersRoles (the spec's example): the roles replaced and the custom roles removed; the owner in errors", async () => {
    const res = await s.patch('/api/v2/members', { comment: 'demote', instructions: [{ kind: 'replaceMembersRoles', value: 'reader', memberIDs: [ids[0], ids[2], owner] }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ members: [ids[0], ids[2]], errors: [{ [owner]: 'you cannot modify your own role' }] });
    expect(await member(ids[0])).toMatchObject({ role: 'reader', customRoles: [], version: 2 });
    expect((await member(ids[2])).role).toBe('reader');
    expect((await member(owner)).role).toBe('owner');
  });

  it('replaceAllMembersCustomRoles with filters: members matching any filter are left out', async () => {
    const qa = (await s.get('/api/v2/roles/qa')).body._id;
    const res = await s.patch('/api/v2/members', { instructions: [{ kind: 'replaceAllMembersCustomRoles', values: ['qa'], filterQuery: 'b@', filterRoles: 'admin' }] });
    expect(res.status).toBe(200);
    // b is left out by the query, the owner by the role (the owner counts as an admin).
    expect(res.body).toEqual({ members: [ids[0], ids[2]].sort(), errors: [] });
    expect((await member(ids[0])).customRoles).toEqual([qa]);
    expect((await member(ids[1])).customRoles).toEqual([]);
  });

  it('replaceMembersRoleAttributes, and an id no member has in errors', async () => {
    const res = await s.patch('/api/v2/members', { instructions: [{ kind: 'replaceMembersRoleAttributes', value: { projectKeys: ['web'] }, memberIDs: [ids[1], '0123456789abcdef01234567'] }] });
    expect(res.body).toEqual({ members: [ids[1]], errors: [{ '0123456789abcdef01234567': 'no member has this ID' }] });
    expect((await member(ids[1])).roleAttributes).toEqual({ projectKeys: ['web'] });
  });
});

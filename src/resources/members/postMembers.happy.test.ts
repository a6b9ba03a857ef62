// Inviting members: they join the account with their roles, are listed and filtered, maintain resources, hold
// custom roles (by key or id; shown as ids) and leave an audit entry each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMembers', () => {
  let s: TestServer;
  let roleId: string;
  beforeAll(async () => {
    s = await startServer();
    roleId = (await s.post('/api/v2/roles', { key: 'devops', name: 'DevOps', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body._id;
  });
  afterAll(() => s.close());

  it('201 with the new members: pending invitations with their roles, custom roles as ids', async () => {
    const res = await s.post('/api/v2/members', [
      { email: 'Sandy@Acme.com', firstName: 'Sandy', lastName: 'Flores', role: 'writer', password: 'ignored' },
      { email: 'ariel@acme.com', customRoles: ['devops'], roleAttributes: { developerProjectKeys: ['default'] } },
      { email: 'kai@acme.com' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.totalCount).toBe(3);
    expect(res.body._links.self.href).toBe('/api/v2/members');
    const [sandy, ariel, kai] = res.body.items;
    expect(sandy).toMatchObject({ email: 'Sandy@Acme.com', firstName: 'Sandy', lastName: 'Flores', role: 'writer', customRoles: [], _pendingInvite: true, _verified: false, _lastSeen: 0, version: 1 });
    expect(sandy._id).toMatch(/^[0-9a-f]{24}$/);
    expect(sandy._links.self.href).toBe(`/api/v2/members/${sandy._id}`);
    expect(ariel).toMatchObject({ role: 'reader', customRoles: [roleId], roleAttributes: { developerProjectKeys: ['default'] } });
    expect(kai.role).toBe('reader');
    expect((await s.get(`/api/v2/members/${ariel._id}`)).body).toEqual(ariel);
  });

  it('listed and filtered: by role (base or custom, by key), email, id, query and never seen', async () => {
    const emails = async (filter: string) => (await s.get(`/api/v2/members?filter=${encodeURIComponent(filter)}`)).body.items.map((m: { email: string }) => m.email);
    expect((await s.get('/api/v2/members')).body.totalCount).toBe(4);
    expect(await emails('role:writer')).toEqual(['Sandy@Acme.com']);
    expect(await emails('role:devops')).toEqual(['ariel@acme.com']);
    expect(await emails('role:admin')).toEqual(['owner@iterlab.local']);
    expect(await emails('email:sandy@acme.com|kai@acme.com')).toEqual(['kai@acme.com', 'Sandy@Acme.com']);
    expect(await emails('query:flores')).toEqual(['Sandy@Acme.com']);
    expect(await emails('lastSeen:{"never":true}')).toHaveLength(3);
    expect(await emails('team:anything')).toEqual([]);
    expect(await emails('noteam:true')).toHaveLength(4);
    const owner = (await s.get('/api/v2/members/me')).body._id;
    expect(await emails(`id:${owner}`)).toEqual(['owner@iterlab.local']);
  });

  it('an invited member can maintain a flag, and the custom role counts the member', async () => {
    const ariel = (await s.get('/api/v2/members?filter=email:ariel@acme.com')).body.items[0];
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    const flag = await s.post('/api/v2/flags/shop', { key: 'f', name: 'F', maintainerId: ariel._id });
    expect(flag.status).toBe(201);
    expect(flag.body._maintainer).toMatchObject({ _id: ariel._id, email: 'ariel@acme.com' });
    expect((await s.get('/api/v2/roles/devops')).body.assignedTo).toEqual({ membersCount: 1, teamsCount: 0 });
    expect((await s.get('/api/v2/roles')).body.items[0].assignedTo.membersCount).toBe(1);
  });

  it('each invitation is in the audit log', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=member/*')).body.items;
    expect(entries.filter((e: { title?: string; description?: string }) => JSON.stringify(e).includes('invited'))).toHaveLength(3);
  });

  it("Terraform's launchdarkly_team_member: `role: \"\"` beside custom roles is no role (a reader); its data source's escaped email finds the member", async () => {
    const res = await s.post('/api/v2/members', [{ email: 'a+tf@acme.com', firstName: '', lastName: '', role: '', customRoles: ['devops'] }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items[0]).toMatchObject({ role: 'reader', customRoles: [roleId] });
    // Go's url.QueryEscape("a+tf@acme.com"), then the client's own encoding of the whole parameter.
    const found = await s.get(`/api/v2/members?filter=${encodeURIComponent('query:a%2Btf%40acme.com')}&expand=roleAttributes`);
    expect(found.body.items.map((m: { email: string }) => m.email)).toEqual(['a+tf@acme.com']);
    const byEmail = await s.get(`/api/v2/members?filter=${encodeURIComponent('email:a%2Btf%40acme.com')}`);
    expect(byEmail.body.items.map((m: { email: string }) => m.email)).toEqual(['a+tf@acme.com']);
    // A `%` that starts no escape is taken as written.
    expect((await s.get(`/api/v2/members?filter=${encodeURIComponent('query:100%')}`)).body.items).toEqual([]);
  });
  it('the members list sorts by a comma-separated list of fields, as the spec documents', async () => {
    const invited = await s.post('/api/v2/members', [
      { email: 'sort-b@acme.com', firstName: 'Sam', lastName: 'Same' },
      { email: 'sort-a@acme.com', firstName: 'Sam', lastName: 'Same' },
      { email: 'sort-c@acme.com', firstName: 'Al', lastName: 'Alpha' },
    ]);
    expect(invited.status).toBe(201);
    const order = async (sort: string) =>
      (await s.get(`/api/v2/members?sort=${sort}&limit=50`)).body.items.map((m: { email: string }) => m.email).filter((email: string) => email.startsWith('sort-'));
    expect(await order('displayName,-email')).toEqual(['sort-c@acme.com', 'sort-b@acme.com', 'sort-a@acme.com']);
    expect(await order('-displayName,email')).toEqual(['sort-a@acme.com', 'sort-b@acme.com', 'sort-c@acme.com']);
    expect((await s.get('/api/v2/members?sort=email,name')).status).toBe(400);
  });
});

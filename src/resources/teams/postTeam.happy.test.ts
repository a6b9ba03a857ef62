// Creating teams: members, custom roles (by key), maintainers by permission grant, role attributes; the expansions;
// members show their teams, roles count the teams holding them, and the team is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postTeam', () => {
  let s: TestServer;
  let ids: string[];
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'web', name: 'Web' });
    await s.post('/api/v2/projects', { key: 'mobile', name: 'Mobile' });
    await s.post('/api/v2/roles', { key: 'web-writers', name: 'Web writers', policy: [{ effect: 'allow', resources: ['proj/web:env/*:flag/*'], actions: ['*'] }] });
    ids = (await s.post('/api/v2/members', [{ email: 'a@acme.com', firstName: 'Ada' }, { email: 'b@acme.com' }])).body.items.map((m: { _id: string }) => m._id);
  });
  afterAll(() => s.close());

  it("201 with the Team; the spec's fields and links, and each expansion", async () => {
    const res = await s.post('/api/v2/teams?expand=members,roles,roleAttributes,projects,maintainers', {
      key: 'qa',
      name: 'QA team',
      description: 'Quality',
      customRoleKeys: ['web-writers'],
      memberIDs: ids,
      permissionGrants: [{ actionSet: 'maintainTeam', memberIDs: [ids[0]] }],
      roleAttributes: { projectKeys: ['web'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'qa', name: 'QA team', description: 'Quality', _version: 1, _idpSynced: false, members: { totalCount: 2 }, roleAttributes: { projectKeys: ['web'] } });
    expect(res.body._links).toMatchObject({ self: { href: '/api/v2/teams/qa' }, parent: { href: '/api/v2/teams' }, roles: { href: '/api/v2/teams/qa/roles' } });
    expect(res.body.roles.items).toEqual([{ key: 'web-writers', name: 'Web writers', appliedOn: res.body._creationDate, projects: { totalCount: 1, items: [expect.objectContaining({ key: 'web', name: 'Web' })] } }]);
    expect(res.body.projects.items.map((p: { key: string }) => p.key)).toEqual(['web']);
    expect(res.body.maintainers).toMatchObject({ totalCount: 1, items: [{ _id: ids[0], email: 'a@acme.com' }] });
    // Without expand, none of them.
    const plain = (await s.get('/api/v2/teams/qa')).body;
    for (const field of ['members', 'roles', 'roleAttributes', 'projects', 'maintainers']) expect(plain).not.toHaveProperty(field);
  });

  it('members show the team, the role counts it, the members list filters by it', async () => {
    const member = (await s.get(`/api/v2/members/${ids[1]}`)).body;
    expect(member.teams).toEqual([{ key: 'qa', name: 'QA team', customRoleKeys: ['web-writers'], _links: { self: { href: '/api/v2/teams/qa', type: 'application/json' } } }]);
    expect((await s.get('/api/v2/roles/web-writers')).body.assignedTo).toEqual({ membersCount: 0, teamsCount: 1 });
    expect((await s.get('/api/v2/members?filter=team:qa')).body.items.map((m: { _id: string }) => m._id).sort()).toEqual([...ids].sort());
    expect((await s.get('/api/v2/members?filter=noteam:true')).body.items.map((m: { email: string }) => m.email)).toEqual(['owner@iterlab.local']);
  });

  it('listed, filtered and paged; maintainers and roles have their own pages; the creation is audited', async () => {
    await s.post('/api/v2/teams', { key: 'empty', name: 'Nobody' });
    expect((await s.get('/api/v2/teams')).body).toMatchObject({ totalCount: 2, items: [{ key: 'empty' }, { key: 'qa' }] });
    expect((await s.get('/api/v2/teams?filter=query:QA')).body.items.map((t: { key: string }) => t.key)).toEqual(['qa']);
    expect((await s.get('/api/v2/teams?filter=nomembers:true')).body.items.map((t: { key: string }) => t.key)).toEqual(['empty']);
    const page = (await s.get('/api/v2/teams?limit=1')).body;
    expect(page.items).toHaveLength(1);
    expect(page._links.next.href).toContain('offset=1');
    expect((await s.get('/api/v2/teams/qa/maintainers')).body).toMatchObject({ totalCount: 1, items: [{ _id: ids[0] }] });
    expect((await s.get('/api/v2/teams/qa/roles')).body).toMatchObject({ totalCount: 1, items: [{ key: 'web-writers' }] });
    const audit = (await s.get('/api/v2/auditlog?spec=team/*')).body.items;
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('postMembers puts new members on teams by key', async () => {
    const res = await s.post('/api/v2/members', [{ email: 'c@acme.com', teamKeys: ['qa'] }]);
    expect(res.status).toBe(201);
    expect(res.body.items[0].teams.map((t: { key: string }) => t.key)).toEqual(['qa']);
    expect((await s.get('/api/v2/teams/qa?expand=members')).body.members.totalCount).toBe(3);
    // The team's change is audited on the team, beside the invitation.
    const entries = (await s.get('/api/v2/auditlog?spec=team/qa')).body.items;
    expect(JSON.stringify(entries[0])).toContain('added invited members to the team QA team');
  });

  it('a role scoped by ${roleAttribute/...} reaches the projects named by the team attribute', async () => {
    await s.post('/api/v2/roles', { key: 'scoped', name: 'Scoped', policy: [{ effect: 'allow', resources: ['proj/${roleAttribute/projectKeys}:env/*:flag/*'], actions: ['*'] }] });
    const res = await s.post('/api/v2/teams?expand=roles,projects', { key: 'scoped-team', name: 'Scoped', customRoleKeys: ['scoped'], roleAttributes: { projectKeys: ['mobile'] } });
    expect(res.status).toBe(201);
    expect(res.body.projects.items.map((p: { key: string }) => p.key)).toEqual(['mobile']);
    expect(res.body.roles.items[0].projects.items.map((p: { key: string }) => p.key)).toEqual(['mobile']);
    const none = await s.post('/api/v2/teams?expand=projects', { key: 'unscoped-team', name: 'Unscoped', customRoleKeys: ['scoped'] });
    expect(none.body.projects).toEqual({ totalCount: 0, items: [] });
  });
});

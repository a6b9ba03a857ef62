// Deleting a team: 204; its members stay, off the team; its roles no longer count it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteTeam', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204; the members stay in the account and the role is free to delete', async () => {
    await s.post('/api/v2/roles', { key: 'r', name: 'R', policy: [] });
    const id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA', memberIDs: [id], customRoleKeys: ['r'] });
    expect((await s.del('/api/v2/roles/r')).status).toBe(409);
    expect((await s.del('/api/v2/teams/qa')).status).toBe(204);
    expect((await s.get('/api/v2/teams/qa')).status).toBe(404);
    expect((await s.get(`/api/v2/members/${id}`)).body.teams).toEqual([]);
    expect((await s.del('/api/v2/roles/r')).status).toBe(204);
  });

  it('removing a member takes it off its teams and their grants', async () => {
    const id = (await s.post('/api/v2/members', [{ email: 'b@acme.com' }])).body.items[0]._id;
    await s.post('/api/v2/teams', { key: 'ops', name: 'Ops', memberIDs: [id], permissionGrants: [{ actionSet: 'maintainTeam', memberIDs: [id] }] });
    expect((await s.del(`/api/v2/members/${id}`)).status).toBe(204);
    const team = (await s.get('/api/v2/teams/ops?expand=members,maintainers')).body;
    expect(team.members.totalCount).toBe(0);
    expect(team.maintainers.totalCount).toBe(0);
    const entries = (await s.get('/api/v2/auditlog?spec=team/ops')).body.items;
    expect(JSON.stringify(entries[0])).toContain('removed b@acme.com from the team Ops');
  });
});

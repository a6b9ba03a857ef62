// Who may change a team: admins, and custom roles allowing each instruction's action on that team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTeam: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
  });
  afterAll(() => s.close());
  const rename = { instructions: [{ kind: 'updateName', value: 'Renamed' }] };

  it('401 without a token, 403 for writers; updateTeamName lets a custom role rename, not change members', async () => {
    expect((await s.patch('/api/v2/teams/qa', rename, { token: null })).status).toBe(401);
    expect((await s.patch('/api/v2/teams/qa', rename, { token: s.tokens.writer })).status).toBe(403);
    const token = (await s.post('/api/v2/tokens', { name: 'names', inlineRole: [{ effect: 'allow', resources: ['team/qa'], actions: ['updateTeamName'] }] })).body.token;
    expect((await s.patch('/api/v2/teams/qa', rename, { token })).status).toBe(200);
    const refused = await s.patch('/api/v2/teams/qa', { instructions: [{ kind: 'addMembers', values: [] }] }, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('updateTeamMembers on team/qa');
  });

  it('permission grants need LaunchDarkly\'s updateTeamPermissionGrants on the team', async () => {
    const member = (await s.post('/api/v2/members', [{ email: 'grants@acme.com' }])).body.items[0]._id;
    const grant = { instructions: [{ kind: 'addPermissionGrants', actionSet: 'maintainTeam', memberIDs: [member] }] };
    const rename = await s.post('/api/v2/tokens', { name: 'renames', inlineRole: [{ effect: 'allow', resources: ['team/qa'], actions: ['updateTeamName'] }] });
    const refused = await s.patch('/api/v2/teams/qa', grant, { token: rename.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ code: 'forbidden', message: expect.stringContaining('updateTeamPermissionGrants on team/qa') });
    const grants = await s.post('/api/v2/tokens', { name: 'grants', inlineRole: [{ effect: 'allow', resources: ['team/qa'], actions: ['updateTeamPermissionGrants'] }] });
    const res = await s.patch('/api/v2/teams/qa?expand=maintainers', grant, { token: grants.body.token });
    expect(res.status).toBe(200);
    expect(res.body.maintainers.items.map((m: { _id: string }) => m._id)).toContain(member);
  });
});

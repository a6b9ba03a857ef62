// Who may add members to teams in bulk: admins, and custom roles allowing updateTeamMembers on each team named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTeams: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
    await s.post('/api/v2/teams', { key: 'ops', name: 'Ops' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for writers; a custom role reaches only its teams', async () => {
    const body = (keys: string[]) => ({ instructions: [{ kind: 'addMembersToTeams', memberIDs: [id], teamKeys: keys }] });
    expect((await s.patch('/api/v2/teams', body(['qa']), { token: null, headers: { 'LD-API-Version': 'beta' } })).status).toBe(401);
    expect((await s.patch('/api/v2/teams', body(['qa']), { token: s.tokens.writer, headers: { 'LD-API-Version': 'beta' } })).status).toBe(403);
    const token = (await s.post('/api/v2/tokens', { name: 'qa', inlineRole: [{ effect: 'allow', resources: ['team/qa'], actions: ['updateTeamMembers'] }] })).body.token;
    expect((await s.patch('/api/v2/teams', body(['qa']), { token, headers: { 'LD-API-Version': 'beta' } })).status).toBe(200);
    const refused = await s.patch('/api/v2/teams', body(['qa', 'ops']), { token, headers: { 'LD-API-Version': 'beta' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('updateTeamMembers on team/ops');
  });
});

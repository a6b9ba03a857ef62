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
});

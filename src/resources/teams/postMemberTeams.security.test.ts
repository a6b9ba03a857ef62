// Who may put a member on teams: admins, and custom roles allowing updateTeamMembers on each team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMemberTeams: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
    id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for writers and a role on another team; 201 with updateTeamMembers on it', async () => {
    const body = { teamKeys: ['qa'] };
    expect((await s.post(`/api/v2/members/${id}/teams`, body, { token: null })).status).toBe(401);
    expect((await s.post(`/api/v2/members/${id}/teams`, body, { token: s.tokens.writer })).status).toBe(403);
    const other = (await s.post('/api/v2/tokens', { name: 'o', inlineRole: [{ effect: 'allow', resources: ['team/ops'], actions: ['updateTeamMembers'] }] })).body.token;
    expect((await s.post(`/api/v2/members/${id}/teams`, body, { token: other })).status).toBe(403);
    const qa = (await s.post('/api/v2/tokens', { name: 'q', inlineRole: [{ effect: 'allow', resources: ['team/qa'], actions: ['updateTeamMembers'] }] })).body.token;
    expect((await s.post(`/api/v2/members/${id}/teams`, body, { token: qa })).status).toBe(201);
  });
});

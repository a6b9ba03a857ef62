// Who may invite members: admins, and custom roles allowing createMember on member/*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMembers: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('401 without a token; 403 for readers and writers; 201 for admins', async () => {
    const body = (email: string) => [{ email }];
    expect((await s.post('/api/v2/members', body('a@acme.com'), { token: null })).status).toBe(401);
    expect((await s.post('/api/v2/members', body('a@acme.com'), { token: s.tokens.reader })).status).toBe(403);
    expect((await s.post('/api/v2/members', body('a@acme.com'), { token: s.tokens.writer })).status).toBe(403);
    expect((await s.post('/api/v2/members', body('a@acme.com'), { token: s.tokens.admin })).status).toBe(201);
  });

  it('a custom role: createMember on member/* lets a token invite; without it, 403 naming the action', async () => {
    const allowed = await s.post('/api/v2/tokens', { name: 'inviter', inlineRole: [{ effect: 'allow', resources: ['member/*'], actions: ['createMember'] }] });
    const other = await s.post('/api/v2/tokens', { name: 'flags only', inlineRole: [{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }] });
    expect((await s.post('/api/v2/members', [{ email: 'b@acme.com' }], { token: allowed.body.token })).status).toBe(201);
    // Putting the new member on a team changes the team: that needs updateTeamMembers on it too.
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
    const onTeam = await s.post('/api/v2/members', [{ email: 'd@acme.com', teamKeys: ['qa'] }], { token: allowed.body.token });
    expect(onTeam.status).toBe(403);
    expect(onTeam.body.message).toContain('updateTeamMembers on team/qa');
    const refused = await s.post('/api/v2/members', [{ email: 'c@acme.com' }], { token: other.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('createMember on member/*');
  });
});

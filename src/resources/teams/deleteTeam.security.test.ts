// Who may delete a team: admins, and custom roles allowing deleteTeam on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteTeam: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for writers and custom roles without deleteTeam; 204 with it', async () => {
    expect((await s.del('/api/v2/teams/qa', { token: null })).status).toBe(401);
    expect((await s.del('/api/v2/teams/qa', { token: s.tokens.writer })).status).toBe(403);
    const creator = (await s.post('/api/v2/tokens', { name: 'c', inlineRole: [{ effect: 'allow', resources: ['team/*'], actions: ['createTeam'] }] })).body.token;
    expect((await s.del('/api/v2/teams/qa', { token: creator })).status).toBe(403);
    const deleter = (await s.post('/api/v2/tokens', { name: 'd', inlineRole: [{ effect: 'allow', resources: ['team/*'], actions: ['deleteTeam'] }] })).body.token;
    expect((await s.del('/api/v2/teams/qa', { token: deleter })).status).toBe(204);
  });
});

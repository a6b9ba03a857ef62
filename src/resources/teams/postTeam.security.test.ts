// Who may create and read teams: admins and custom roles allowing createTeam write; every token reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('teams: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('401 without a token; 403 for readers and writers; 201 for admins; every token reads', async () => {
    expect((await s.post('/api/v2/teams', { key: 'a', name: 'A' }, { token: null })).status).toBe(401);
    expect((await s.post('/api/v2/teams', { key: 'a', name: 'A' }, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.post('/api/v2/teams', { key: 'a', name: 'A' }, { token: s.tokens.writer })).status).toBe(403);
    expect((await s.post('/api/v2/teams', { key: 'a', name: 'A' }, { token: s.tokens.admin })).status).toBe(201);
    for (const path of ['/api/v2/teams', '/api/v2/teams/a', '/api/v2/teams/a/roles', '/api/v2/teams/a/maintainers']) {
      expect((await s.get(path, { token: s.tokens.reader })).status, path).toBe(200);
      expect((await s.get(path, { token: null })).status, path).toBe(401);
    }
  });

  it('a custom role: createTeam on team/qa-* creates those teams only', async () => {
    const token = (await s.post('/api/v2/tokens', { name: 'qa teams', inlineRole: [{ effect: 'allow', resources: ['team/qa-*'], actions: ['createTeam'] }] })).body.token;
    expect((await s.post('/api/v2/teams', { key: 'qa-web', name: 'QA web' }, { token })).status).toBe(201);
    const refused = await s.post('/api/v2/teams', { key: 'ops', name: 'Ops' }, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('createTeam on team/ops');
  });
});

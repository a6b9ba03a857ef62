// postMemberTeams refused: a body without team keys, a key no team has, a member that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMemberTeams: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
    id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
  });
  afterAll(() => s.close());

  it('400 naming teamKeys, 404 for an unknown member; nothing joins', async () => {
    expect((await s.post(`/api/v2/members/${id}/teams`, {})).body.message).toContain('teamKeys');
    const unknown = await s.post(`/api/v2/members/${id}/teams`, { teamKeys: ['qa', 'nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ attribute: 'teamKeys[1]', reason: 'no team has the key "nope"' }]);
    expect((await s.get(`/api/v2/members/${id}`)).body.teams).toEqual([]);
    expect((await s.post('/api/v2/members/0123456789abcdef01234567/teams', { teamKeys: ['qa'] })).status).toBe(404);
  });
});

// postMemberTeams: one member onto several teams; 201 with the Member and its teams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMemberTeams', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
    await s.post('/api/v2/teams', { key: 'ops', name: 'Ops' });
  });
  afterAll(() => s.close());

  it('201; the member is on both teams; adding it again changes nothing', async () => {
    const id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
    const res = await s.post(`/api/v2/members/${id}/teams`, { teamKeys: ['qa', 'ops'] });
    expect(res.status).toBe(201);
    expect(res.body.teams.map((t: { key: string }) => t.key)).toEqual(['ops', 'qa']);
    const version = (await s.get('/api/v2/teams/qa')).body._version;
    expect((await s.post(`/api/v2/members/${id}/teams`, { teamKeys: ['qa'] })).status).toBe(201);
    expect((await s.get('/api/v2/teams/qa')).body._version).toBe(version);
  });
});

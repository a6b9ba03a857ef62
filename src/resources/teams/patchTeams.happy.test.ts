// The bulk team patch: members added to several teams by id, or every member the filters leave in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTeams', () => {
  let s: TestServer;
  let ids: string[];
  const count = async (key: string) => (await s.get(`/api/v2/teams/${key}?expand=members`)).body.members.totalCount;
  beforeAll(async () => {
    s = await startServer();
    ids = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }, { email: 'b@acme.com', role: 'writer' }])).body.items.map((m: { _id: string }) => m._id);
    await s.post('/api/v2/teams', { key: 't1', name: 'T1' });
    await s.post('/api/v2/teams', { key: 't2', name: 'T2' });
  });
  afterAll(() => s.close());

  it('is a beta resource: 403 without LD-API-Version: beta, and nothing changes', async () => {
    const res = await s.patch('/api/v2/teams', { instructions: [{ kind: 'addMembersToTeams', memberIDs: [ids[0]], teamKeys: ['t1'] }] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(await count('t1')).toBe(0);
  });

  it("addMembersToTeams (the spec's example); a key no team has in errors", async () => {
    const res = await s.patch('/api/v2/teams', { instructions: [{ kind: 'addMembersToTeams', memberIDs: [ids[0]], teamKeys: ['t1', 't2', 'nope'] }] }, { headers: { 'LD-API-Version': 'beta' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ memberIDs: [ids[0]], teamKeys: ['t1', 't2'], errors: [{ nope: 'no team has this key' }] });
    expect([await count('t1'), await count('t2')]).toEqual([1, 1]);
  });

  it('addAllMembersToTeams: members matching a filter are left out', async () => {
    const res = await s.patch('/api/v2/teams', { instructions: [{ kind: 'addAllMembersToTeams', teamKeys: ['t2'], filterRoles: 'admin' }] }, { headers: { 'LD-API-Version': 'beta' } });
    expect(res.body.teamKeys).toEqual(['t2']);
    // The owner counts as an admin: a and b are on t2, the owner is not.
    const members = (await s.get('/api/v2/members?filter=team:t2')).body.items.map((m: { _id: string }) => m._id).sort();
    expect(members).toEqual([...ids].sort());
  });
});

// The bulk team patch refused whole: malformed instructions and unknown members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTeams: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 't1', name: 'T1' });
  });
  afterAll(() => s.close());

  it('400 naming the instruction; nothing changes', async () => {
    const cases: [unknown, string][] = [
      [{ instructions: [{ kind: 'deleteAllTeams' }] }, 'instructions[0].kind'],
      [{ instructions: [{ kind: 'addMembersToTeams', teamKeys: ['t1'] }] }, 'instructions[0].memberIDs'],
      [{ instructions: [{ kind: 'addMembersToTeams', memberIDs: ['0123456789abcdef01234567'], teamKeys: ['t1'] }] }, 'instructions[0].memberIDs[0]'],
    ];
    for (const [body, expected] of cases) {
      const res = await s.patch('/api/v2/teams', body, { headers: { 'LD-API-Version': 'beta' } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(expected);
    }
    expect((await s.get('/api/v2/teams/t1?expand=members')).body.members.totalCount).toBe(0);
  });
});

// Teams refused: schema problems, unknown members and roles, malformed grants, a key in use; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postTeam: errors', () => {
  let s: TestServer;
  const count = async () => (await s.get('/api/v2/teams')).body.totalCount as number;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/teams', { key: 'taken', name: 'Taken' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('400 naming each problem; nothing created', async () => {
    const before = await count();
    const cases: [unknown, string][] = [
      [{ name: 'No key' }, 'key'],
      [{ key: 'has space', name: 'X' }, 'key'],
      [{ key: 'x' }, 'name'],
      [{ key: 'x', name: 'X', memberIDs: 'a' }, 'memberIDs'],
      [{ key: 'x', name: 'X', memberIDs: ['0123456789abcdef01234567'] }, 'memberIDs[0]'],
      [{ key: 'x', name: 'X', customRoleKeys: ['nope'] }, 'customRoleKeys[0]'],
      [{ key: 'x', name: 'X', permissionGrants: [{ actionSet: 'maintainTeam', actions: ['x'], memberIDs: [] }] }, 'permissionGrants[0]'],
      [{ key: 'x', name: 'X', permissionGrants: [{ actionSet: 'rule', memberIDs: [] }] }, 'permissionGrants[0].actionSet'],
      [{ key: 'x', name: 'X', roleAttributes: { a: 'b' } }, 'roleAttributes'],
    ];
    for (const [body, attribute] of cases) {
      const res = await s.post('/api/v2/teams', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message, JSON.stringify(body)).toContain(attribute);
    }
    expect(await count()).toBe(before);
  });

  it('409 for a key in use', async () => {
    const res = await s.post('/api/v2/teams', { key: 'taken', name: 'Again' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A team with the key "taken" already exists' });
  });

  it('404 for a team that does not exist, on every team route', async () => {
    for (const path of ['/api/v2/teams/nope', '/api/v2/teams/nope/roles', '/api/v2/teams/nope/maintainers']) {
      const res = await s.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message: 'Team "nope" not found' });
    }
    expect((await s.del('/api/v2/teams/nope')).status).toBe(404);
    expect((await s.patch('/api/v2/teams/nope', { instructions: [{ kind: 'updateName', value: 'x' }] })).status).toBe(404);
  });
});

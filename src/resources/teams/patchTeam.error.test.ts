// patchTeam refused whole: malformed instructions, unknown members and roles, grants that match nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTeam: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA', roleAttributes: { a: ['1'] } });
  });
  afterAll(() => s.close());

  it('400 naming the instruction; the team is unchanged', async () => {
    const before = (await s.get('/api/v2/teams/qa?expand=members,roles,roleAttributes,maintainers')).body;
    const cases: [unknown, string][] = [
      [[{ op: 'replace', path: '/name', value: 'x' }], 'body'],
      [{ instructions: [{ kind: 'renameTeam', value: 'x' }] }, 'instructions[0].kind'],
      [{ instructions: [{ kind: 'updateName', value: 'New' }, { kind: 'updateName' }] }, 'instructions[1].value'],
      [{ instructions: [{ kind: 'addMembers', values: ['0123456789abcdef01234567'] }] }, 'instructions[0].values[0]'],
      [{ instructions: [{ kind: 'addCustomRoles', values: ['nope'] }] }, 'instructions[0].values[0]'],
      [{ instructions: [{ kind: 'addPermissionGrants', memberIDs: [] }] }, 'instructions[0]'],
      [{ instructions: [{ kind: 'removePermissionGrants', actionSet: 'maintainTeam', memberIDs: [] }] }, 'matches no permission grant'],
      [{ instructions: [{ kind: 'addRoleAttribute', key: 'a', values: ['2'] }] }, 'instructions[0].key'],
      [{ instructions: [{ kind: 'removeRoleAttribute', key: 'zzz' }] }, 'instructions[0].key'],
      [{ instructions: [{ kind: 'replaceRoleAttributes', value: { a: 1 } }] }, 'instructions[0].value'],
      // Names every object has are no role attributes: not added, updated or found to remove.
      [{ instructions: [{ kind: 'addRoleAttribute', key: 'constructor', values: ['x'] }] }, '"constructor" is not an allowed key'],
      [{ instructions: [{ kind: 'updateRoleAttribute', key: '__proto__', values: ['x'] }] }, '"__proto__" is not an allowed key'],
      [{ instructions: [{ kind: 'removeRoleAttribute', key: 'hasOwnProperty' }] }, 'the team has no role attribute "hasOwnProperty"'],
    ];
    for (const [body, expected] of cases) {
      const res = await s.patch('/api/v2/teams/qa', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toContain(expected);
    }
    expect((await s.get('/api/v2/teams/qa?expand=members,roles,roleAttributes,maintainers')).body).toEqual(before);
  });

  it('a role attribute named as a member of every object but not forbidden (valueOf, toString) is a role attribute like any', async () => {
    const res = await s.patch('/api/v2/teams/qa?expand=roleAttributes', { instructions: [{ kind: 'addRoleAttribute', key: 'valueOf', values: ['x'] }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.roleAttributes).toEqual({ a: ['1'], valueOf: ['x'] });
    expect((await s.patch('/api/v2/teams/qa', { instructions: [{ kind: 'removeRoleAttribute', key: 'valueOf' }] })).status).toBe(200);
    expect((await s.patch('/api/v2/teams/qa', { instructions: [{ kind: 'removeRoleAttribute', key: 'toString' }] })).status).toBe(400);
  });
});

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
    ];
    for (const [body, expected] of cases) {
      const res = await s.patch('/api/v2/teams/qa', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toContain(expected);
    }
    expect((await s.get('/api/v2/teams/qa?expand=members,roles,roleAttributes,maintainers')).body).toEqual(before);
  });
});

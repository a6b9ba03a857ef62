// Bulk patches refused whole: malformed instructions, roles that cannot be given, unknown custom roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMembers: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
  });
  afterAll(() => s.close());

  it('400 naming the instruction and field; nothing changes', async () => {
    const before = (await s.get(`/api/v2/members/${id}`)).body;
    const cases: [unknown, string][] = [
      [[{ op: 'replace', path: '/role', value: 'x' }], 'body'],
      [{ instructions: [] }, 'instructions'],
      [{ instructions: [{ kind: 'promoteEveryone' }] }, 'instructions[0].kind'],
      [{ instructions: [{ kind: 'replaceMembersRoles', value: 'reader' }] }, 'instructions[0].memberIDs'],
      [{ instructions: [{ kind: 'replaceMembersRoles', value: 'writer', memberIDs: [id] }, { kind: 'replaceMembersRoles', value: 'emperor', memberIDs: [id] }] }, 'instructions[1].value'],
      [{ instructions: [{ kind: 'replaceMembersCustomRoles', values: ['nope'], memberIDs: [id] }] }, 'instructions[0].values[0]'],
      [{ instructions: [{ kind: 'replaceMembersRoleAttributes', value: { a: 'b' }, memberIDs: [id] }] }, 'instructions[0].value'],
    ];
    for (const [body, attribute] of cases) {
      const res = await s.patch('/api/v2/members', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toContain(attribute);
    }
    expect((await s.get(`/api/v2/members/${id}`)).body).toEqual(before);
  });
});

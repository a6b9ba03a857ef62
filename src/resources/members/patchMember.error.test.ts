// Member patches refused: read-only fields, roles that cannot be given, unknown custom roles, the owner's role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMember: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/members', [{ email: 'sam@acme.com' }])).body.items[0]._id;
  });
  afterAll(() => s.close());

  it('400 naming the field; the member is unchanged', async () => {
    const before = (await s.get(`/api/v2/members/${id}`)).body;
    const cases: [unknown, string][] = [
      [[{ op: 'replace', path: '/email', value: 'x@acme.com' }], 'email'],
      [[{ op: 'replace', path: '/role', value: 'owner' }], 'role'],
      [[{ op: 'replace', path: '/role', value: 'boss' }], 'role'],
      [[{ op: 'add', path: '/customRoles/-', value: 'no-such-role' }], 'customRoles[0]'],
      [[{ op: 'replace', path: '/roleAttributes', value: { a: 1 } }], 'roleAttributes'],
      [[{ op: 'replace', path: '/nickname', value: 'x' }], '/nickname'],
      [[{ op: 'jump', path: '/role' }], 'patch[0]'],
      [{ not: 'a patch' }, 'body'],
    ];
    for (const [body, attribute] of cases) {
      const res = await s.patch(`/api/v2/members/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message, JSON.stringify(body)).toContain(attribute);
    }
    expect((await s.get(`/api/v2/members/${id}`)).body).toEqual(before);
  });

  it("the owner's role cannot be changed; a failed test is a 409; an unknown member a 404", async () => {
    const owner = (await s.get('/api/v2/members/me')).body._id;
    const res = await s.patch(`/api/v2/members/${owner}`, [{ op: 'replace', path: '/role', value: 'reader' }]);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("role: is the account owner's");
    expect((await s.patch(`/api/v2/members/${id}`, [{ op: 'test', path: '/role', value: 'admin' }])).status).toBe(409);
    expect((await s.patch('/api/v2/members/0123456789abcdef01234567', [{ op: 'replace', path: '/role', value: 'reader' }])).status).toBe(404);
  });
});

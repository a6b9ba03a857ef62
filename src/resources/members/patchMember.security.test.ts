// Who may change a member: admins, and custom roles allowing the changed field's action on that member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMember: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/members', [{ email: 'sam@acme.com' }])).body.items[0]._id;
  });
  afterAll(() => s.close());
  const toWriter = [{ op: 'replace', path: '/role', value: 'writer' }];

  it('401 without a token, 403 for readers and writers', async () => {
    expect((await s.patch(`/api/v2/members/${id}`, toWriter, { token: null })).status).toBe(401);
    expect((await s.patch(`/api/v2/members/${id}`, toWriter, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.patch(`/api/v2/members/${id}`, toWriter, { token: s.tokens.writer })).status).toBe(403);
    expect((await s.get(`/api/v2/members/${id}`)).body.role).toBe('reader');
  });

  it('a custom role allowing updateRole on this member may change its role, not its custom roles', async () => {
    const token = (await s.post('/api/v2/tokens', { name: 'roles', inlineRole: [{ effect: 'allow', resources: [`member/${id}`], actions: ['updateRole'] }] })).body.token;
    expect((await s.patch(`/api/v2/members/${id}`, toWriter, { token })).status).toBe(200);
    const refused = await s.patch(`/api/v2/members/${id}`, [{ op: 'replace', path: '/customRoles', value: [] }], { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain(`updateCustomRole on member/${id}`);
  });
});

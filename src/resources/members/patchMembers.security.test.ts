// Who may change members in bulk: admins, and custom roles allowing each instruction's action on member/*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMembers: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }])).body.items[0]._id;
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for writers; a custom role needs the instruction\'s action', async () => {
    const body = { instructions: [{ kind: 'replaceMembersRoles', value: 'writer', memberIDs: [id] }] };
    expect((await s.patch('/api/v2/members', body, { token: null })).status).toBe(401);
    expect((await s.patch('/api/v2/members', body, { token: s.tokens.writer })).status).toBe(403);
    const customOnly = (await s.post('/api/v2/tokens', { name: 'custom', inlineRole: [{ effect: 'allow', resources: ['member/*'], actions: ['updateCustomRole'] }] })).body.token;
    const refused = await s.patch('/api/v2/members', body, { token: customOnly });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('updateRole on member/*');
    expect((await s.patch('/api/v2/members', body, { token: s.tokens.admin })).status).toBe(200);
  });
});

// Who may remove a member: admins, and custom roles allowing deleteMember on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMember: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for writers and for a custom role without deleteMember; 204 with it', async () => {
    const id = (await s.post('/api/v2/members', [{ email: 'x@acme.com' }])).body.items[0]._id;
    expect((await s.del(`/api/v2/members/${id}`, { token: null })).status).toBe(401);
    expect((await s.del(`/api/v2/members/${id}`, { token: s.tokens.writer })).status).toBe(403);
    const inviteOnly = (await s.post('/api/v2/tokens', { name: 'invite', inlineRole: [{ effect: 'allow', resources: ['member/*'], actions: ['createMember'] }] })).body.token;
    expect((await s.del(`/api/v2/members/${id}`, { token: inviteOnly })).status).toBe(403);
    const remover = (await s.post('/api/v2/tokens', { name: 'remove', inlineRole: [{ effect: 'allow', resources: ['member/*'], actions: ['deleteMember'] }] })).body.token;
    expect((await s.del(`/api/v2/members/${id}`, { token: remover })).status).toBe(204);
  });
});

// Who may add members to a team from a file: admins, and custom roles allowing updateTeamMembers on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { csvUpload } from '../../../test/support/upload.js';

describe('postTeamMembers: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/members', [{ email: 'a@acme.com' }]);
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for writers and a role on another team; 201 with updateTeamMembers on this one', async () => {
    const { body, headers } = csvUpload('a@acme.com');
    const send = (token: string | null) => s.request('POST', '/api/v2/teams/qa/members', { raw: body, headers, token });
    expect((await send(null)).status).toBe(401);
    expect((await send(s.tokens.writer)).status).toBe(403);
    const other = (await s.post('/api/v2/tokens', { name: 'o', inlineRole: [{ effect: 'allow', resources: ['team/ops'], actions: ['updateTeamMembers'] }] })).body.token;
    expect((await send(other)).status).toBe(403);
    const qa = (await s.post('/api/v2/tokens', { name: 'q', inlineRole: [{ effect: 'allow', resources: ['team/qa'], actions: ['updateTeamMembers'] }] })).body.token;
    expect((await send(qa)).status).toBe(201);
  });
});

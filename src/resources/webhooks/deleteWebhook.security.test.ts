// Who may delete a webhook: admins, and custom roles allowing deleteWebhook on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteWebhook: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/webhooks', { url: 'https://example.com', sign: false, on: false })).body._id;
  });
  afterAll(() => s.close());

  it('401 without a valid token; 403 for readers, writers and custom roles without deleteWebhook; 204 with it', async () => {
    await expectAdminOnly(s, (token) => s.del(`/api/v2/webhooks/${id}`, { token }));
    const other = (await s.post('/api/v2/tokens', { name: 'o', inlineRole: [{ effect: 'allow', resources: ['webhook/*'], actions: ['createWebhook', 'update*'] }] })).body.token;
    expect((await s.del(`/api/v2/webhooks/${id}`, { token: other })).status).toBe(403);
    const deleter = (await s.post('/api/v2/tokens', { name: 'd', inlineRole: [{ effect: 'allow', resources: [`webhook/${id}`], actions: ['deleteWebhook'] }] })).body.token;
    expect((await s.del(`/api/v2/webhooks/${id}`, { token: deleter })).status).toBe(204);
  });
});

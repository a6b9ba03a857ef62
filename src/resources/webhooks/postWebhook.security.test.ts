// Who may create a webhook: admins, and custom roles allowing createWebhook; never without a valid token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postWebhook: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());
  const body = { url: 'https://example.com', sign: true, secret: 's3cret', on: false };

  it('401 without a valid token; 403 for readers and writers; nothing written', async () => {
    await expectAdminOnly(s, (token) => s.post('/api/v2/webhooks', body, { token }));
  });

  it('a custom role needs createWebhook, and sees the secret only if it may update it', async () => {
    const none = (await s.post('/api/v2/tokens', { name: 'n', inlineRole: [{ effect: 'allow', resources: ['webhook/*'], actions: ['updateName'] }] })).body.token;
    expect((await s.post('/api/v2/webhooks', body, { token: none })).status).toBe(403);
    const creator = (await s.post('/api/v2/tokens', { name: 'c', inlineRole: [{ effect: 'allow', resources: ['webhook/*'], actions: ['createWebhook'] }] })).body.token;
    const created = await s.post('/api/v2/webhooks', body, { token: creator });
    expect(created.status).toBe(200);
    expect(created.body).not.toHaveProperty('secret');
    const keeper = (await s.post('/api/v2/tokens', { name: 'k', inlineRole: [{ effect: 'allow', resources: ['webhook/*'], actions: ['createWebhook', 'updateSecret'] }] })).body.token;
    expect((await s.post('/api/v2/webhooks', body, { token: keeper })).body.secret).toBe('s3cret');
  });
});

// Who may read webhooks: every token (as LaunchDarkly lets every member see integrations); the secret only by those
// who may change it: admin tokens, and custom roles allowing updateSecret on the webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getWebhook and getAllWebhooks: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/webhooks', { url: 'https://example.com', sign: true, secret: 'frobozz', on: true })).body._id;
  });
  afterAll(() => s.close());

  it('401 without a valid token; 404 for an unknown id', async () => {
    for (const path of ['/api/v2/webhooks', `/api/v2/webhooks/${id}`]) {
      expect((await s.get(path, { token: null })).status).toBe(401);
      expect((await s.get(path, { token: 'api-00000000-0000-4000-8000-000000000000' })).body.code).toBe('unauthorized');
    }
    expect((await s.get('/api/v2/webhooks/nope')).body).toEqual({ code: 'not_found', message: 'Webhook "nope" not found' });
  });

  it('readers, writers and custom roles read it; the secret only admins and roles that may update it', async () => {
    const nothing = (await s.post('/api/v2/tokens', { name: 'n', inlineRole: [{ effect: 'deny', resources: ['proj/*'], actions: ['*'] }] })).body.token;
    const keeper = (await s.post('/api/v2/tokens', { name: 'k', inlineRole: [{ effect: 'allow', resources: [`webhook/${id}`], actions: ['updateSecret'] }] })).body.token;
    for (const [token, sees] of [
      [s.tokens.reader, false],
      [s.tokens.writer, false],
      [nothing, false],
      [keeper, true],
      [s.tokens.admin, true],
    ] as const) {
      const one = await s.get(`/api/v2/webhooks/${id}`, { token });
      expect(one.status).toBe(200);
      expect(one.body.url).toBe('https://example.com');
      expect(one.body.secret).toBe(sees ? 'frobozz' : undefined);
      expect((await s.get('/api/v2/webhooks', { token })).body.items[0].secret).toBe(sees ? 'frobozz' : undefined);
    }
  });
});

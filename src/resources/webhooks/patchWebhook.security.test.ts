// Who may update a webhook: admins, and custom roles allowing the action of each member the patch changes
// (updateName, updateUrl, updateOn, updateSecret, updateStatements, updateTags).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchWebhook: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/webhooks', { url: 'https://example.com', sign: true, secret: 'frobozz', on: true })).body._id;
  });
  afterAll(() => s.close());

  it('401 without a valid token; 403 for readers and writers; nothing written', async () => {
    await expectAdminOnly(s, (token) => s.patch(`/api/v2/webhooks/${id}`, [{ op: 'replace', path: '/on', value: false }], { token }));
  });

  it("a custom role allowing updateName renames, but may neither change, test, move nor copy the secret, and does not see it", async () => {
    const namer = (await s.post('/api/v2/tokens', { name: 'n', inlineRole: [{ effect: 'allow', resources: [`webhook/${id}`], actions: ['updateName'] }] })).body.token;
    const renamed = await s.patch(`/api/v2/webhooks/${id}`, [{ op: 'replace', path: '/name', value: 'Renamed' }], { token: namer });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed');
    expect(renamed.body).not.toHaveProperty('secret');
    for (const op of [
      { op: 'replace', path: '/secret', value: 'mine' },
      { op: 'test', path: '/secret', value: 'frobozz' },
      { op: 'move', from: '/secret', path: '/name' },
      { op: 'replace', path: '/url', value: 'https://evil.example' },
    ]) {
      const res = await s.patch(`/api/v2/webhooks/${id}`, [op], { token: namer });
      expect(res.status, JSON.stringify(op)).toBe(403);
      expect(res.body.message).toMatch(/do not allow update(Secret|Url) on webhook\//);
    }
    // Copying the secret into a field the role may change would let it read the secret back: refused for everyone.
    expect((await s.patch(`/api/v2/webhooks/${id}`, [{ op: 'copy', from: '/secret', path: '/name' }], { token: namer })).status).toBe(400);
    expect((await s.get(`/api/v2/webhooks/${id}`)).body).toMatchObject({ name: 'Renamed', secret: 'frobozz', url: 'https://example.com' });
  });
});

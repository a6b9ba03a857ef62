// Who may schedule a user's removals: writers, and custom roles allowing updateExpiringTargets on each flag named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchExpiringFlagsForUser: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for readers and a role on another flag, 200 for writers', async () => {
    const path = '/api/v2/users/shop/sandy/expiring-user-targets/production';
    const body = { instructions: [{ kind: 'removeExpireUserTargetDate', flagKey: 'banner', variationId: 'v' }] };
    expect((await s.patch(path, body, { token: null })).status).toBe(401);
    expect((await s.patch(path, body, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.get(path, { token: s.tokens.reader })).status).toBe(200);
    expect((await s.patch(path, body, { token: s.tokens.writer })).status).toBe(200);
    const token = (await s.post('/api/v2/tokens', { name: 't', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, { effect: 'allow', resources: ['proj/shop:env/*:flag/checkout'], actions: ['updateExpiringTargets'] }] })).body.token;
    const refused = await s.patch(path, body, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('updateExpiringTargets on proj/shop:env/production:flag/banner');
  });
});

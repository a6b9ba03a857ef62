// Who may schedule removals: writers, and custom roles allowing updateExpiringTargets on the flag in that environment;
// readers read them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('expiring targets: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    await s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for readers, 200 for writers; a custom role needs updateExpiringTargets in that environment', async () => {
    const path = (env: string) => `/api/v2/flags/shop/banner/expiring-targets/${env}`;
    const body = { instructions: [{ kind: 'removeExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user' }] };
    expect((await s.patch(path('production'), body, { token: null })).status).toBe(401);
    expect((await s.patch(path('production'), body, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.get(path('production'), { token: s.tokens.reader })).status).toBe(200);
    expect((await s.patch(path('production'), body, { token: s.tokens.writer })).status).toBe(200);
    const token = (await s.post('/api/v2/tokens', { name: 't', inlineRole: [{ effect: 'allow', resources: ['proj/shop:env/test:flag/*'], actions: ['updateExpiringTargets', 'viewProject'] }, { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] })).body.token;
    expect((await s.patch(path('test'), body, { token })).status).toBe(200);
    const refused = await s.patch(path('production'), body, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('updateExpiringTargets on proj/shop:env/production:flag/banner');
  });
});

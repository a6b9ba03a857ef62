// Who may schedule a segment's removals: writers, and custom roles allowing updateExpiringTargets on the segment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('segment expiring targets: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    await s.post('/api/v2/segments/shop/production', { key: 'seg', name: 'Seg' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for readers and a role without the action, 200 for writers', async () => {
    const path = '/api/v2/segments/shop/seg/expiring-targets/production';
    const body = { instructions: [{ kind: 'removeExpiringTarget', targetType: 'included', contextKey: 'a', contextKind: 'user' }] };
    expect((await s.patch(path, body, { token: null })).status).toBe(401);
    expect((await s.patch(path, body, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.get(path, { token: s.tokens.reader })).status).toBe(200);
    expect((await s.patch(path, body, { token: s.tokens.writer })).status).toBe(200);
    const token = (await s.post('/api/v2/tokens', { name: 't', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, { effect: 'allow', resources: ['proj/shop:env/*:segment/*'], actions: ['updateIncluded'] }] })).body.token;
    const refused = await s.patch(path, body, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('updateExpiringTargets on proj/shop:env/production:segment/seg');
  });
});

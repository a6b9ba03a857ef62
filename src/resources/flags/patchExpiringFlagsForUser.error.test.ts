// A user's expiring-targets patch refused whole for a malformed body; an unknown environment is a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchExpiringFlagsForUser: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
  });
  afterAll(() => s.close());

  it('400 naming the instruction and field; 404 for an unknown project or environment', async () => {
    const path = '/api/v2/users/shop/sandy/expiring-user-targets/production';
    const missing = await s.patch(path, { instructions: [{ kind: 'addExpireUserTargetDate', variationId: 'v', value: 1 }] });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('instructions[0].flagKey');
    const kind = await s.patch(path, { instructions: [{ kind: 'addExpiringTarget', flagKey: 'f', variationId: 'v', value: 1 }] });
    expect(kind.status).toBe(400);
    expect(kind.body.message).toContain('instructions[0].kind');
    expect((await s.get('/api/v2/users/shop/sandy/expiring-user-targets/nope')).status).toBe(404);
    expect((await s.get('/api/v2/users/nope/sandy/expiring-user-targets/production')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteFeatureFlag: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for a reader, and the flag stays', async () => {
    expect((await s.del('/api/v2/flags/shop/f', { token: null })).status).toBe(401);
    const reader = await s.del('/api/v2/flags/shop/f', { token: s.tokens.reader });
    expect(reader.status).toBe(403);
    expect(reader.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/flags/shop/f')).status).toBe(200);
  });

  it('a writer may delete', async () => {
    expect((await s.del('/api/v2/flags/shop/f', { token: s.tokens.writer })).status).toBe(204);
  });
});

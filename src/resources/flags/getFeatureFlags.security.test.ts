import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlags: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/other', { name: 'Secret', key: 'secret' });
  });
  afterAll(() => s.close());

  it('401 without a token', async () => {
    expect((await s.get('/api/v2/flags/shop', { token: null })).status).toBe(401);
  });

  it('a reader may list', async () => {
    expect((await s.get('/api/v2/flags/shop', { token: s.tokens.reader })).status).toBe(200);
  });

  it("a project's list never shows another project's flags, even through query filters", async () => {
    const res = await s.get('/api/v2/flags/shop?filter=query:secret&env=production');
    expect(res.body.items).toEqual([]);
    expect(res.body.totalCount).toBe(0);
  });
});

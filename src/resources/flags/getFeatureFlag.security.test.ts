import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlag: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('401 without a token, and the answer does not reveal whether the flag exists', async () => {
    const known = await s.get('/api/v2/flags/shop/f', { token: null });
    const unknown = await s.get('/api/v2/flags/shop/ghost', { token: null });
    expect(known.status).toBe(401);
    expect(unknown.body).toEqual(known.body);
  });

  it('a reader token may read', async () => {
    expect((await s.get('/api/v2/flags/shop/f', { token: s.tokens.reader })).status).toBe(200);
  });

  it('an SDK key is not an API token', async () => {
    const env = await s.get('/api/v2/projects/shop/environments/production');
    expect((await s.get('/api/v2/flags/shop/f', { token: env.body.apiKey })).status).toBe(401);
  });
});

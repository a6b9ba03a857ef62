import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetric: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/metrics/shop', { key: 'signup', kind: 'custom', eventKey: 'signup', isNumeric: false });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    expect((await s.get('/api/v2/metrics/shop/signup', { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get('/api/v2/metrics/shop/signup', { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('a reader token may read', async () => {
    expect((await s.get('/api/v2/metrics/shop/signup', { token: s.tokens.reader })).status).toBe(200);
  });

  it("a metric is not reachable through another project's key", async () => {
    expect((await s.get('/api/v2/metrics/other/signup')).status).toBe(404);
  });

  it('path segments that try to escape are just unknown keys', async () => {
    expect((await s.get('/api/v2/metrics/shop/..%2F..%2Fprojects')).status).toBe(404);
    expect((await s.get("/api/v2/metrics/shop/signup'%20or%20'1'='1")).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('resetEnvironmentSDKKey and resetEnvironmentMobileKey', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('gives a new SDK key (expiry accepted) and leaves the mobile key', async () => {
    const before = (await s.get(path)).body;
    const res = await s.request('POST', `${path}/apiKey?expiry=${Date.now() + 60_000}`);
    expect(res.status).toBe(200);
    expect(res.body.apiKey).toMatch(/^sdk-[0-9a-f-]{36}$/);
    expect(res.body.apiKey).not.toBe(before.apiKey);
    expect(res.body.mobileKey).toBe(before.mobileKey);
    expect((await s.get(path)).body.apiKey).toBe(res.body.apiKey);
  });

  it('gives a new mobile key and leaves the SDK key', async () => {
    const before = (await s.get(path)).body;
    const res = await s.request('POST', `${path}/mobileKey`);
    expect(res.status).toBe(200);
    expect(res.body.mobileKey).toMatch(/^mob-[0-9a-f-]{36}$/);
    expect(res.body.mobileKey).not.toBe(before.mobileKey);
    expect(res.body.apiKey).toBe(before.apiKey);
  });

  it('400 for an expiry that is not epoch milliseconds; 404 for an unknown environment', async () => {
    const bad = await s.request('POST', `${path}/apiKey?expiry=tomorrow`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].attribute).toBe('expiry');
    expect((await s.request('POST', '/api/v2/projects/shop/environments/nope/mobileKey')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatus: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flag-statuses/nope/production/f');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('404 naming the environment', async () => {
    const res = await s.get('/api/v2/flag-statuses/shop/moon/f');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Environment "moon" in project "shop" not found' });
  });

  it('404 naming the flag, and for a flag of another project', async () => {
    const res = await s.get('/api/v2/flag-statuses/shop/production/ghost');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
    expect((await s.get('/api/v2/flag-statuses/other/production/f')).body).toEqual({ code: 'not_found', message: 'Flag "f" in project "other" not found' });
  });

  it('a deleted flag is not found, though SDKs evaluated it', async () => {
    const env = await s.get('/api/v2/projects/shop/environments/production');
    await s.post('/api/v2/flags/shop', { name: 'Gone', key: 'gone' });
    expect((await s.post('/bulk', [{ kind: 'summary', startDate: 1, endDate: 2, features: { gone: { default: false, counters: [] } } }], { token: env.body.apiKey })).status).toBe(202);
    expect((await s.del('/api/v2/flags/shop/gone')).status).toBe(204);
    expect((await s.get('/api/v2/flag-statuses/shop/production/gone')).body).toEqual({ code: 'not_found', message: 'Flag "gone" in project "shop" not found' });
  });
});

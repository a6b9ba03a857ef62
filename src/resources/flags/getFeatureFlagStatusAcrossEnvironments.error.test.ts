import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatusAcrossEnvironments: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flag-status/nope/f');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('404 naming the flag, and for a flag of another project', async () => {
    const res = await s.get('/api/v2/flag-status/shop/ghost');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
    expect((await s.get('/api/v2/flag-status/other/f')).body).toEqual({ code: 'not_found', message: 'Flag "f" in project "other" not found' });
  });

  it('404 naming an environment in `env` that the project does not have', async () => {
    const res = await s.get('/api/v2/flag-status/shop/f?env=production,moon');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Environment "moon" in project "shop" not found' });
  });
});

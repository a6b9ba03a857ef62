import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlag: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flags/nope/f');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('404 naming the flag', async () => {
    const res = await s.get('/api/v2/flags/shop/ghost');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
  });

  it('404 naming an environment the project does not have', async () => {
    const res = await s.get('/api/v2/flags/shop/f?env=production&env=moon');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('Environment "moon" in project "shop" not found');
  });

  it('a flag of another project is not found', async () => {
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    expect((await s.get('/api/v2/flags/other/f')).status).toBe(404);
  });
});

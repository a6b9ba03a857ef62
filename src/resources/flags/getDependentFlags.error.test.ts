import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getDependentFlags: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flags/nope/gate/dependent-flags', BETA);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('404 naming the flag, also for a flag of another project', async () => {
    const res = await s.get('/api/v2/flags/shop/ghost/dependent-flags', BETA);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
    expect((await s.get('/api/v2/flags/other/gate/dependent-flags', BETA)).body).toEqual({ code: 'not_found', message: 'Flag "gate" in project "other" not found' });
  });

  it('403 without LD-API-Version: beta, before looking anything up', async () => {
    for (const path of ['/api/v2/flags/shop/gate/dependent-flags', '/api/v2/flags/nope/ghost/dependent-flags']) {
      const res = await s.get(path);
      expect(res.status, path).toBe(403);
      expect(res.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    }
  });

  it('only GET: a write to the path is 405 method_not_allowed', async () => {
    const res = await s.post('/api/v2/flags/shop/gate/dependent-flags', {}, BETA);
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ code: 'method_not_allowed', message: 'Method not allowed' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getDependentFlagsByEnv: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other', environments: [{ key: 'staging', name: 'Staging', color: '000000' }] });
    await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flags/nope/production/gate/dependent-flags', BETA);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it("404 naming the environment, also for another project's", async () => {
    const res = await s.get('/api/v2/flags/shop/moon/gate/dependent-flags', BETA);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Environment "moon" in project "shop" not found' });
    expect((await s.get('/api/v2/flags/shop/staging/gate/dependent-flags', BETA)).body.message).toBe('Environment "staging" in project "shop" not found');
  });

  it('404 naming the flag', async () => {
    const res = await s.get('/api/v2/flags/shop/production/ghost/dependent-flags', BETA);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
  });

  it('403 without LD-API-Version: beta, or with another version', async () => {
    for (const options of [{}, { headers: { 'LD-API-Version': '20240415' } }]) {
      const res = await s.get('/api/v2/flags/shop/production/gate/dependent-flags', options);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    }
  });

  it('400 naming LD-API-Version for a version that does not exist', async () => {
    const res = await s.get('/api/v2/flags/shop/production/gate/dependent-flags', { headers: { 'LD-API-Version': 'gamma' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('LD-API-Version');
  });
});

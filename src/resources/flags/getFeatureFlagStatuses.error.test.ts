import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatuses: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other', environments: [{ name: 'Staging', key: 'staging', color: '00AAFF' }] });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flag-statuses/nope/production');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('404 naming the environment, also for one of another project', async () => {
    const res = await s.get('/api/v2/flag-statuses/shop/staging');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Environment "staging" in project "shop" not found' });
  });

  it('404 naming an environment deleted since', async () => {
    expect((await s.post('/api/v2/projects/shop/environments', { name: 'QA', key: 'qa', color: '000000' })).status).toBe(201);
    expect((await s.get('/api/v2/flag-statuses/shop/qa')).status).toBe(200);
    expect((await s.del('/api/v2/projects/shop/environments/qa')).status).toBe(204);
    expect((await s.get('/api/v2/flag-statuses/shop/qa')).body).toEqual({ code: 'not_found', message: 'Environment "qa" in project "shop" not found' });
  });
});

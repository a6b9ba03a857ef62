import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetricGroup: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('404 naming the group or the project', async () => {
    expect(await s.get('/api/v2/projects/shop/metric-groups/none', BETA)).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Metric group "none" not found' } });
    expect(await s.get('/api/v2/projects/gone/metric-groups/none', BETA)).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });

  it('400 for an LD-API-Version that does not exist', async () => {
    const res = await s.get('/api/v2/projects/shop/metric-groups/none', { headers: { 'ld-api-version': 'betta' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('LD-API-Version');
  });
});

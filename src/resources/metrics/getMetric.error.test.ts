import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetric: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/metrics/shop', { key: 'signup', kind: 'custom', eventKey: 'signup', isNumeric: false });
  });
  afterAll(() => s.close());

  it('404 naming the metric or the project that does not exist', async () => {
    expect(await s.get('/api/v2/metrics/shop/nope')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Metric "nope" not found' } });
    expect(await s.get('/api/v2/metrics/gone/signup')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Project "gone" not found' } });
  });

  it('404 naming a version that is no longer the current one', async () => {
    const first = await s.get('/api/v2/metrics/shop/signup');
    await s.patch('/api/v2/metrics/shop/signup', [{ op: 'replace', path: '/name', value: 'Sign-up' }]);
    const res = await s.get(`/api/v2/metrics/shop/signup?versionId=${first.body._versionId}`);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(`Version "${first.body._versionId}" of metric "signup" not found`);
  });

  it('ignores expand values it does not serve (eventSources, guardedRollouts...)', async () => {
    const res = await s.get('/api/v2/metrics/shop/signup?expand=eventSources,guardedRollouts');
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('eventSources');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing, setExperimentStatus } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMetricGroup: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/metrics/shop', { key: 'm', kind: 'custom', eventKey: 'm', isNumeric: false });
    await s.post('/api/v2/projects/shop/metric-groups', { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'm' }] }, BETA);
  });
  afterAll(() => s.close());

  it('404 naming the group or project', async () => {
    expect(await s.del('/api/v2/projects/shop/metric-groups/none', BETA)).toMatchObject({ status: 404, body: { message: 'Metric group "none" not found' } });
    expect(await s.del('/api/v2/projects/gone/metric-groups/g', BETA)).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });

  it('409 naming the running experiment that uses the group, until it stops', async () => {
    const ids = await insertExperimentUsing(s, { projectKey: 'shop', environmentKey: 'test', key: 'live', status: 'running', refs: [{ kind: 'metric-group', key: 'g' }] });
    const res = await s.del('/api/v2/projects/shop/metric-groups/g', BETA);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'conflict',
      message: 'Metric group "g" is used by the running experiment "live" (environment test); stop the experiment before deleting the group',
    });
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', BETA)).status).toBe(200);
    await setExperimentStatus(s, ids, 'stopped');
    expect((await s.del('/api/v2/projects/shop/metric-groups/g', BETA)).status).toBe(204);
  });
});

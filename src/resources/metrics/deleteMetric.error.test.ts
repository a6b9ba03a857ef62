import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMetric: errors', () => {
  let s: TestServer;
  const custom = (key: string) => ({ key, kind: 'custom', eventKey: key, isNumeric: false });
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('404 naming the metric or the project', async () => {
    expect(await s.del('/api/v2/metrics/shop/none')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Metric "none" not found' } });
    expect(await s.del('/api/v2/metrics/gone/none')).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });

  it('409 naming the running experiment that uses the metric; the metric stays', async () => {
    await s.post('/api/v2/metrics/shop', custom('busy'));
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'ab-test', status: 'running', refs: [{ kind: 'metric', key: 'busy' }] });
    const res = await s.del('/api/v2/metrics/shop/busy');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'conflict',
      message: 'Metric "busy" is used by the running experiment "ab-test" (environment production); stop the experiment before deleting the metric',
    });
    expect((await s.get('/api/v2/metrics/shop/busy')).status).toBe(200);
  });

  it('409 naming the metric group the metric belongs to, until it is taken out of the group', async () => {
    await s.post('/api/v2/metrics/shop', custom('a'));
    await s.post('/api/v2/metrics/shop', custom('b'));
    await s.post('/api/v2/projects/shop/metric-groups', { key: 'pair', name: 'Pair', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a' }, { key: 'b' }] }, BETA);
    const res = await s.del('/api/v2/metrics/shop/a');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'Metric "a" is in the metric group "pair"; remove it from the group before deleting the metric' });
    await s.patch('/api/v2/projects/shop/metric-groups/pair', [{ op: 'remove', path: '/metrics/0' }], BETA);
    expect((await s.del('/api/v2/metrics/shop/a')).status).toBe(204);
  });
});

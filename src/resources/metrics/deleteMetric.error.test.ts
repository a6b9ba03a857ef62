import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { digestStore } from '../../../test/support/digest.js';
import { createExperimentIn, createWorld, flagVersion, iterationBody } from '../../../test/support/fixtures.js';
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

  it('409 naming the running experiment that measures the metric through a metric group it lists, even once the metric has left the group; nothing deleted', async () => {
    const w = await createWorld(s, 'funnels');
    const path = `/api/v2/projects/${w.project}/environments/${w.env}/experiments/funnel-only`;
    const body = iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, { metrics: [{ key: w.funnel, isGroup: true }], primarySingleMetricKey: undefined, primaryFunnelKey: w.funnel });
    await createExperimentIn(s, w, 'funnel-only', body);
    expect((await s.patch(path, { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    // cart-viewed leaves the funnel: the running iteration still measures it (its results read the members it recorded).
    expect((await s.patch(`/api/v2/projects/${w.project}/metric-groups/${w.funnel}`, [{ op: 'remove', path: '/metrics/0' }], BETA)).status).toBe(200);

    const before = await digestStore(s.store);
    const res = await s.del(`/api/v2/metrics/${w.project}/cart-viewed`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'conflict',
      message: 'Metric "cart-viewed" is used by the running experiment "funnel-only" (environment production); stop the experiment before deleting the metric',
    });
    expect(await digestStore(s.store)).toBe(before);
    expect((await s.get(`/api/v2/metrics/${w.project}/cart-viewed`)).status).toBe(200);

    // Stopped, the experiment no longer holds it.
    const treatmentId = (await s.get(`${path}?expand=treatments`)).body.currentIteration.treatments[0]._id;
    expect((await s.patch(path, { instructions: [{ kind: 'stopIteration', winningTreatmentId: treatmentId, winningReason: 'done' }] })).status).toBe(200);
    expect((await s.del(`/api/v2/metrics/${w.project}/cart-viewed`)).status).toBe(204);
  });
});

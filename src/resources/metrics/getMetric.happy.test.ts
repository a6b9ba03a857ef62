import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing, setExperimentStatus } from '../../../test/support/experimentRefs.js';
import { createExperimentIn, createWorld, flagVersion, iterationBody } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetric: happy path', () => {
  let s: TestServer;
  const custom = (key: string) => ({ key, kind: 'custom', eventKey: key, isNumeric: false });
  beforeAll(async () => {
    let clock = Date.UTC(2026, 0, 1);
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    for (const key of ['signup', 'purchase', 'lonely']) expect((await s.post('/api/v2/metrics/shop', custom(key))).status).toBe(201);
    await s.post('/api/v2/metrics/other', custom('signup'));
    const maintainerId = s.deps.accountId;
    const group = (key: string, metrics: string[]) =>
      s.post('/api/v2/projects/shop/metric-groups', { key, name: key, kind: 'standard', maintainerId, tags: [], metrics: metrics.map((m) => ({ key: m })) }, BETA);
    expect((await group('core', ['signup', 'purchase'])).status).toBe(201);
    expect((await group('growth', ['signup'])).status).toBe(201);
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'direct-running', status: 'running', refs: [{ kind: 'metric', key: 'signup' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', environmentKey: 'test', key: 'via-group', status: 'stopped', refs: [{ kind: 'metric-group', key: 'growth' }, { kind: 'group-metric', key: 'signup' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'both-ways', status: 'not_started', refs: [{ kind: 'metric', key: 'signup' }, { kind: 'metric-group', key: 'core' }, { kind: 'group-metric', key: 'signup' }, { kind: 'group-metric', key: 'purchase' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'unrelated', status: 'running', refs: [{ kind: 'metric', key: 'purchase' }] });
    await insertExperimentUsing(s, { projectKey: 'other', key: 'elsewhere', status: 'running', refs: [{ kind: 'metric', key: 'signup' }] });
  });
  afterAll(() => s.close());

  it('returns the metric without the expandable fields by default', async () => {
    const res = await s.get('/api/v2/metrics/shop/signup');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'signup', kind: 'custom', eventKey: 'signup' });
    for (const field of ['experiments', 'experimentCount', 'metricGroups', 'metricGroupCount', 'lastUsedInExperiment', 'guardedRolloutCount', 'activeGuardedRolloutCount']) expect(res.body).not.toHaveProperty(field);
  });

  it('expand=metricGroups,metricGroupCount lists the groups that contain it', async () => {
    const res = await s.get('/api/v2/metrics/shop/signup?expand=metricGroups,metricGroupCount');
    expect(res.body.metricGroupCount).toBe(2);
    expect(res.body.metricGroups).toEqual([
      {
        key: 'core',
        name: 'core',
        kind: 'standard',
        _links: {
          parent: { href: '/api/v2/projects/shop', type: 'application/json' },
          self: { href: '/api/v2/projects/shop/metric-groups/core', type: 'application/json' },
        },
      },
      expect.objectContaining({ key: 'growth' }),
    ]);
  });

  it('expand=experiments,experimentCount counts experiments using it directly or through a group, once each, in this project only', async () => {
    const res = await s.get('/api/v2/metrics/shop/signup?expand=experiments,experimentCount');
    expect(res.body.experimentCount).toBe(3);
    expect(res.body.activeExperimentCount).toBe(1);
    expect(res.body.experiments.map((e: { key: string }) => e.key)).toEqual(['direct-running', 'via-group', 'both-ways']);
    expect(res.body.experiments[1]).toEqual({
      key: 'via-group',
      name: 'Experiment via-group',
      environmentId: expect.stringMatching(/^[0-9a-f]{24}$/),
      environmentKey: 'test',
      creationDate: expect.any(Number),
      _links: {
        parent: { href: '/api/v2/projects/shop/environments/test', type: 'application/json' },
        self: { href: '/api/v2/projects/shop/environments/test/experiments/via-group', type: 'application/json' },
      },
    });
  });

  it('leaves out expanded lists that are empty, but gives counts of zero', async () => {
    const res = await s.get('/api/v2/metrics/shop/lonely?expand=experiments,experimentCount,metricGroups,metricGroupCount');
    expect(res.body).toMatchObject({ experimentCount: 0, metricGroupCount: 0 });
    expect(res.body).not.toHaveProperty('experiments');
    expect(res.body).not.toHaveProperty('metricGroups');
  });

  it('expand=lastUsedInExperiment names the experiment that used it last, directly or through a group, and nothing else', async () => {
    await s.post('/api/v2/projects', { name: 'Recent', key: 'recent' });
    for (const key of ['checkout', 'unused']) expect((await s.post('/api/v2/metrics/recent', custom(key))).status).toBe(201);
    const last = async (key = 'checkout') => {
      const res = await s.get(`/api/v2/metrics/recent/${key}?expand=lastUsedInExperiment`);
      expect(res.status).toBe(200);
      for (const field of ['experiments', 'experimentCount', 'activeExperimentCount', 'metricGroups', 'metricGroupCount']) expect(res.body).not.toHaveProperty(field);
      return res.body.lastUsedInExperiment;
    };
    expect(await last()).toBeUndefined();

    const first = await insertExperimentUsing(s, { projectKey: 'recent', key: 'first', status: 'stopped', refs: [{ kind: 'metric', key: 'checkout' }] });
    expect(await last()).toEqual({
      key: 'first',
      name: 'Experiment first',
      environmentId: expect.stringMatching(/^[0-9a-f]{24}$/),
      environmentKey: 'production',
      creationDate: expect.any(Number),
      _links: {
        parent: { href: '/api/v2/projects/recent/environments/production', type: 'application/json' },
        self: { href: '/api/v2/projects/recent/environments/production/experiments/first', type: 'application/json' },
      },
    });
    // Started later, and measuring the metric only as a member of a group it lists.
    await insertExperimentUsing(s, { projectKey: 'recent', environmentKey: 'test', key: 'through-group', status: 'stopped', refs: [{ kind: 'group-metric', key: 'checkout' }] });
    expect(await last()).toMatchObject({ key: 'through-group', environmentKey: 'test' });
    // A draft made later still is the latest to take the metric up.
    await insertExperimentUsing(s, { projectKey: 'recent', key: 'draft', status: 'not_started', refs: [{ kind: 'metric', key: 'checkout' }] });
    expect(await last()).toMatchObject({ key: 'draft' });
    // An experiment measuring it now comes before every other, however long ago it started.
    await setExperimentStatus(s, first, 'running');
    expect(await last()).toMatchObject({ key: 'first' });
    // Other metrics and projects are not looked at.
    expect(await last('unused')).toBeUndefined();
  });

  it('expand of the guarded rollout fields: counts of zero, no list and no last rollout (iterlab runs none); eventSources is ignored', async () => {
    const res = await s.get('/api/v2/metrics/shop/signup?expand=guardedRollouts,guardedRolloutCount,lastUsedInGuardedRollout,eventSources');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'signup', guardedRolloutCount: 0, activeGuardedRolloutCount: 0 });
    for (const field of ['guardedRollouts', 'lastUsedInGuardedRollout', 'eventSources', 'experiments', 'experimentCount']) expect(res.body).not.toHaveProperty(field);
  });

  it('accepts the current versionId', async () => {
    const current = await s.get('/api/v2/metrics/shop/purchase');
    const res = await s.get(`/api/v2/metrics/shop/purchase?versionId=${current.body._versionId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(current.body);
  });

  it('counts an experiment that measures the metric only through a group it lists, by the members its iteration recorded (as its results read them), in getMetric and getMetrics', async () => {
    const w = await createWorld(s, 'funnels');
    const body = iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, { metrics: [{ key: w.funnel, isGroup: true }], primarySingleMetricKey: undefined, primaryFunnelKey: w.funnel });
    await createExperimentIn(s, w, 'funnel-only', body);
    const start = await s.patch(`/api/v2/projects/${w.project}/environments/${w.env}/experiments/funnel-only`, { instructions: [{ kind: 'startIteration' }] });
    expect(start.status).toBe(200);
    const counts = async () => {
      const list = await s.get(`/api/v2/metrics/${w.project}?expand=experimentCount`);
      return Object.fromEntries(list.body.items.map((m: { key: string; experimentCount: number; activeExperimentCount: number }) => [m.key, [m.experimentCount, m.activeExperimentCount]]));
    };
    const uses = async (key: string) => (await s.get(`/api/v2/metrics/${w.project}/${key}?expand=experiments,experimentCount,lastUsedInExperiment`)).body;

    // The funnel holds cart-viewed and checkout-completed; revenue is in another group the experiment does not list.
    expect(await uses('cart-viewed')).toMatchObject({
      experimentCount: 1,
      activeExperimentCount: 1,
      experiments: [{ key: 'funnel-only', environmentKey: 'production' }],
      lastUsedInExperiment: { key: 'funnel-only', environmentKey: 'production' },
    });
    expect(await counts()).toEqual({ 'cart-viewed': [1, 1], 'checkout-completed': [1, 1], revenue: [0, 0] });

    // The group changes while the iteration runs: the iteration still measures what it recorded, and nothing else.
    // (A funnel's steps are conversions, so the step added is a new conversion metric.)
    expect((await s.post(`/api/v2/metrics/${w.project}`, { key: 'paid', kind: 'custom', eventKey: 'paid', isNumeric: false })).status).toBe(201);
    const patched = await s.patch(`/api/v2/projects/${w.project}/metric-groups/${w.funnel}`, [{ op: 'remove', path: '/metrics/0' }, { op: 'add', path: '/metrics/-', value: { key: 'paid', nameInGroup: 'Paid' } }], BETA);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.metrics.map((m: { key: string }) => m.key)).toEqual(['checkout-completed', 'paid']);
    expect(await uses('cart-viewed')).toMatchObject({ experimentCount: 1, activeExperimentCount: 1, experiments: [{ key: 'funnel-only' }] });
    const paid = await uses('paid');
    expect(paid.experimentCount).toBe(0);
    expect(paid).not.toHaveProperty('experiments');
    expect(paid).not.toHaveProperty('lastUsedInExperiment');
    expect(await counts()).toEqual({ 'cart-viewed': [1, 1], 'checkout-completed': [1, 1], paid: [0, 0], revenue: [0, 0] });
    // The results measure the same metrics the counts name.
    const results = await s.get(`/api/v2/projects/${w.project}/environments/${w.env}/experiments/funnel-only/metric-groups/${w.funnel}/results`);
    expect(results.status).toBe(200);
    expect(results.body.metrics.map((m: { metric: { key: string } }) => m.metric.key)).toEqual(['cart-viewed', 'checkout-completed']);
  });
});

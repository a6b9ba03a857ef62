import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing } from '../../../test/support/experimentRefs.js';
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
    await insertExperimentUsing(s, { projectKey: 'shop', environmentKey: 'test', key: 'via-group', status: 'stopped', refs: [{ kind: 'metric-group', key: 'growth' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'both-ways', status: 'not_started', refs: [{ kind: 'metric', key: 'signup' }, { kind: 'metric-group', key: 'core' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'unrelated', status: 'running', refs: [{ kind: 'metric', key: 'purchase' }] });
    await insertExperimentUsing(s, { projectKey: 'other', key: 'elsewhere', status: 'running', refs: [{ kind: 'metric', key: 'signup' }] });
  });
  afterAll(() => s.close());

  it('returns the metric without the expandable fields by default', async () => {
    const res = await s.get('/api/v2/metrics/shop/signup');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'signup', kind: 'custom', eventKey: 'signup' });
    for (const field of ['experiments', 'experimentCount', 'metricGroups', 'metricGroupCount']) expect(res.body).not.toHaveProperty(field);
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

  it('accepts the current versionId', async () => {
    const current = await s.get('/api/v2/metrics/shop/purchase');
    const res = await s.get(`/api/v2/metrics/shop/purchase?versionId=${current.body._versionId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(current.body);
  });
});

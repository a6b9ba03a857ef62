import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, MetricsBetaApi } from 'launchdarkly-api-typescript';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = Date.UTC(2026, 2, 1);

describe('createMetricGroup: happy path', () => {
  let s: TestServer;
  let owner: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    owner = s.deps.accountId;
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/metrics/shop', { key: 'visit', name: 'Visit', kind: 'pageview', urls: [{ kind: 'exact', url: 'https://shop/' }] });
    await s.post('/api/v2/metrics/shop', { key: 'cart', name: 'Add to cart', kind: 'custom', eventKey: 'cart', isNumeric: false });
    await s.post('/api/v2/metrics/shop', { key: 'spend', name: 'Spend', kind: 'custom', eventKey: 'spend', isNumeric: true, unitAggregationType: 'sum' });
  });
  afterAll(() => s.close());

  it('creates a funnel, keeping the order of its steps and their names in the group', async () => {
    const res = await s.post(
      '/api/v2/projects/shop/metric-groups',
      {
        key: 'checkout-funnel',
        name: 'Checkout funnel',
        kind: 'funnel',
        description: 'visit to cart',
        maintainerId: owner,
        tags: ['web'],
        metrics: [
          { key: 'visit', nameInGroup: 'Step 1' },
          { key: 'cart', nameInGroup: 'Step 2' },
        ],
      },
      BETA,
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      key: 'checkout-funnel',
      name: 'Checkout funnel',
      kind: 'funnel',
      description: 'visit to cart',
      _links: {
        parent: { href: '/api/v2/projects/shop', type: 'application/json' },
        self: { href: '/api/v2/projects/shop/metric-groups/checkout-funnel', type: 'application/json' },
      },
      tags: ['web'],
      _creationDate: NOW,
      _lastModified: NOW,
      maintainer: {
        key: owner,
        kind: 'member',
        member: expect.objectContaining({ _id: owner, email: 'owner@iterlab.local', role: 'owner' }),
        _member: expect.objectContaining({ _id: owner, email: 'owner@iterlab.local', role: 'owner' }),
      },
      metrics: [
        {
          key: 'visit',
          _versionId: expect.any(String),
          name: 'Visit',
          kind: 'pageview',
          unitAggregationType: 'average',
          analysisType: 'mean',
          _links: { self: { href: '/api/v2/metrics/shop/visit', type: 'application/json' } },
          nameInGroup: 'Step 1',
          randomizationUnits: ['user'],
          analysisUnits: ['user'],
        },
        expect.objectContaining({ key: 'cart', nameInGroup: 'Step 2', isNumeric: false, eventKey: 'cart' }),
      ],
      _version: 1,
    });
  });

  it('creates a standard group; its metrics carry no nameInGroup', async () => {
    const res = await s.post(
      '/api/v2/projects/shop/metric-groups',
      { key: 'kpis', name: 'KPIs', kind: 'standard', maintainerId: owner, tags: [], metrics: [{ key: 'spend' }, { key: 'cart' }] },
      BETA,
    );
    expect(res.status).toBe(201);
    expect(res.body.metrics.map((m: { key: string }) => m.key)).toEqual(['spend', 'cart']);
    for (const m of res.body.metrics) expect(m).not.toHaveProperty('nameInGroup');
  });

  it("accepts Terraform's body for a standard group (nameInGroup sent as an empty string)", async () => {
    const res = await s.post(
      '/api/v2/projects/shop/metric-groups',
      { key: 'tf-group', name: 'TF group', kind: 'standard', maintainerId: owner, tags: ['tf'], metrics: [{ key: 'visit', nameInGroup: '' }, { key: 'spend', nameInGroup: '' }] },
      BETA,
    );
    expect(res.status).toBe(201);
    expect(res.body.metrics[0]).not.toHaveProperty('nameInGroup');
  });

  it('derives a key from the name when none is given', async () => {
    const res = await s.post('/api/v2/projects/shop/metric-groups', { name: 'Revenue & Spend!', kind: 'standard', maintainerId: owner, tags: [], metrics: [{ key: 'spend' }] }, BETA);
    expect(res.status).toBe(201);
    expect(res.body.key).toBe('revenue-spend');
    expect((await s.get('/api/v2/projects/shop/metric-groups/revenue-spend', BETA)).status).toBe(200);
  });

  it('works through the official TypeScript client, which needs the beta header passed in', async () => {
    const live = await startServer({ listen: true });
    try {
      await live.post('/api/v2/projects', { name: 'Client', key: 'client' });
      await live.post('/api/v2/metrics/client', { key: 'm', kind: 'custom', eventKey: 'm', isNumeric: false });
      const api = new MetricsBetaApi(new Configuration({ apiKey: live.tokens.writer, basePath: live.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
      const created = await api.createMetricGroup('client', { key: 'g', name: 'G', kind: 'funnel', maintainerId: live.deps.accountId, tags: [], metrics: [{ key: 'm', nameInGroup: 'Only step' }] });
      expect(created.status).toBe(201);
      expect((await api.getMetricGroup('client', 'g')).data.metrics[0].nameInGroup).toBe('Only step');
      expect((await api.getMetricGroups('client')).data.items.map((g) => g.key)).toEqual(['g']);
      expect((await api.patchMetricGroup('client', 'g', [{ op: 'replace', path: '/name', value: 'Group' }])).data._version).toBe(2);
      expect((await api.deleteMetricGroup('client', 'g')).status).toBe(204);
    } finally {
      await live.close();
    }
  });
});

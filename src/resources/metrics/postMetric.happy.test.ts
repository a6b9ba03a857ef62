import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, MetricsApi } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('postMetric: happy path', () => {
  let s: TestServer;
  let ownerId: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ownerId = s.deps.accountId;
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('creates a custom conversion metric with every default filled in', async () => {
    const res = await s.post('/api/v2/metrics/shop', { key: 'order-placed', kind: 'custom', eventKey: 'Order placed', isNumeric: false });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _versionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      _version: 1,
      key: 'order-placed',
      name: 'order-placed',
      kind: 'custom',
      _links: {
        parent: { href: '/api/v2/metrics/shop', type: 'application/json' },
        self: { href: '/api/v2/metrics/shop/order-placed', type: 'application/json' },
      },
      _site: { href: '/experiments/metrics/order-placed/edit', type: 'text/html' },
      tags: [],
      _creationDate: NOW,
      lastModified: { date: '2026-01-15T12:00:00.000Z' },
      maintainerId: ownerId,
      _maintainer: expect.objectContaining({ _id: ownerId, role: 'owner', email: 'owner@iterlab.local' }),
      isNumeric: false,
      successCriteria: 'HigherThanBaseline',
      eventKey: 'Order placed',
      randomizationUnits: ['user'],
      analysisUnits: ['user'],
      unitAggregationType: 'average',
      analysisType: 'mean',
      eventDefault: { disabled: false, value: 0 },
      dataSource: { key: 'launchdarkly' },
    });
  });

  it('creates a numeric custom metric analysed at a percentile', async () => {
    const res = await s.post('/api/v2/metrics/shop', {
      key: 'latency',
      name: 'Checkout latency',
      description: 'p95 of checkout time',
      kind: 'custom',
      eventKey: 'checkout-time',
      isNumeric: true,
      unit: 'ms',
      successCriteria: 'LowerThanBaseline',
      unitAggregationType: 'sum',
      analysisType: 'percentile',
      percentileValue: 95,
      tags: ['perf', 'checkout', 'perf'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Checkout latency',
      description: 'p95 of checkout time',
      isNumeric: true,
      unit: 'ms',
      successCriteria: 'LowerThanBaseline',
      unitAggregationType: 'sum',
      analysisType: 'percentile',
      percentileValue: 95,
      tags: ['perf', 'checkout'],
      // Units without events cannot enter a percentile, so they are left out by default.
      eventDefault: { disabled: true, value: 0 },
    });
  });

  it("keeps API v23's winsorization (warehouse data sources) and measurement windows; the deprecated winsorExcludeImputed is ignored", async () => {
    const res = await s.post('/api/v2/metrics/shop', {
      key: 'basket',
      kind: 'custom',
      eventKey: 'basket-value',
      isNumeric: true,
      dataSource: { key: 'snowflake' },
      winsorLowerPercentile: 1,
      winsorUpperPercentile: 99.5,
      winsorIncludeImputed: true,
      winsorExcludeImputed: false,
      windowStartOffset: 0,
      windowEndOffset: 86_400_000,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ winsorLowerPercentile: 1, winsorUpperPercentile: 99.5, winsorIncludeImputed: true, windowStartOffset: 0, windowEndOffset: 86_400_000 });
    expect(res.body).not.toHaveProperty('winsorExcludeImputed');
    expect((await s.get('/api/v2/metrics/shop/basket')).body).toEqual(res.body);
    // One bound alone is one-sided winsorization; a metric without any has none of the fields.
    const upper = await s.post('/api/v2/metrics/shop', { key: 'spend', kind: 'custom', eventKey: 'spend', isNumeric: true, dataSource: { key: 'snowflake' }, winsorUpperPercentile: 95 });
    expect(upper.status).toBe(201);
    expect(upper.body.winsorUpperPercentile).toBe(95);
    expect(upper.body).not.toHaveProperty('winsorLowerPercentile');
    expect(upper.body).not.toHaveProperty('winsorIncludeImputed');
    // Windows need no warehouse: LaunchDarkly stores them on hosted metrics too.
    const windowed = await s.post('/api/v2/metrics/shop', { key: 'hosted-window', kind: 'custom', eventKey: 'w', isNumeric: false, windowStartOffset: 60_000 });
    expect(windowed.status).toBe(201);
    expect(windowed.body).toMatchObject({ windowStartOffset: 60_000, dataSource: { key: 'launchdarkly' } });
    const listed = await s.get('/api/v2/metrics/shop');
    expect(listed.body.items.find((m: { key: string }) => m.key === 'basket')).toMatchObject({ winsorLowerPercentile: 1, winsorUpperPercentile: 99.5, windowEndOffset: 86_400_000 });
  });

  it('creates click and pageview metrics with their URL matchers', async () => {
    const click = await s.post('/api/v2/metrics/shop', {
      key: 'buy-click',
      kind: 'click',
      selector: '.buy-button',
      urls: [{ kind: 'exact', url: 'https://shop.example/cart' }, { kind: 'regex', pattern: '^https://shop\\.example/p/\\d+$' }],
    });
    expect(click.status).toBe(201);
    expect(click.body).toMatchObject({ kind: 'click', selector: '.buy-button', urls: [{ kind: 'exact' }, { kind: 'regex' }] });
    expect(click.body).not.toHaveProperty('isNumeric');
    expect(click.body).not.toHaveProperty('successCriteria');
    const pageview = await s.post('/api/v2/metrics/shop', { key: 'landing', kind: 'pageview', urls: [{ kind: 'substring', substring: '/landing' }] });
    expect(pageview.status).toBe(201);
    expect(pageview.body.urls).toEqual([{ kind: 'substring', substring: '/landing' }]);
  });

  it("accepts Terraform's create body: empty strings and lists for the fields a kind does not use", async () => {
    const res = await s.post('/api/v2/metrics/shop', {
      key: 'tf-click',
      name: 'TF click',
      description: '',
      tags: [],
      kind: 'click',
      isActive: true,
      isNumeric: false,
      selector: '#go',
      urls: [{ kind: 'canonical', url: 'https://shop.example/' }],
      unit: '',
      eventKey: '',
      unitAggregationType: 'average',
      analysisType: 'mean',
      eventDefault: { disabled: false },
    });
    expect(res.status).toBe(201);
    for (const field of ['description', 'unit', 'eventKey', 'isNumeric', 'isActive']) expect(res.body).not.toHaveProperty(field);
  });

  it('takes null as a member left out, for the fields a kind uses and those it does not', async () => {
    const pageview = await s.post('/api/v2/metrics/shop', {
      key: 'null-pageview',
      kind: 'pageview',
      urls: [{ kind: 'exact', url: 'https://shop.example/cart' }],
      eventKey: null,
      isNumeric: null,
      selector: null,
      unit: null,
      description: null,
      successCriteria: null,
    });
    expect(pageview.status, JSON.stringify(pageview.body)).toBe(201);
    expect(pageview.body).toMatchObject({ key: 'null-pageview', kind: 'pageview' });
    for (const field of ['eventKey', 'isNumeric', 'selector', 'unit', 'description']) expect(pageview.body).not.toHaveProperty(field);
    const custom = await s.post('/api/v2/metrics/shop', { key: 'null-custom', kind: 'custom', eventKey: 'e', isNumeric: true, unit: null, urls: null });
    expect(custom.status, JSON.stringify(custom.body)).toBe(201);
    expect(custom.body).not.toHaveProperty('unit');
    // null is absent, so a required member sent as null is missing
    const missing = await s.post('/api/v2/metrics/shop', { key: 'null-kind', kind: null });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { attribute: string }) => e.attribute)).toContain('kind');
  });

  it('takes analysisUnits (the newer name) and checks them against the project settings', async () => {
    const put = await s.put('/api/v2/projects/shop/experimentation-settings', {
      randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }],
    });
    expect(put.status).toBe(200);
    const res = await s.post('/api/v2/metrics/shop', { key: 'org-signup', kind: 'custom', eventKey: 'signup', isNumeric: false, analysisUnits: ['organization'] });
    expect(res.status).toBe(201);
    expect(res.body.randomizationUnits).toEqual(['organization']);
    expect(res.body.analysisUnits).toEqual(['organization']);
  });

  it("defaults the units to the project's default unit", async () => {
    await s.put('/api/v2/projects/shop/experimentation-settings', {
      randomizationUnits: [{ randomizationUnit: 'user' }, { randomizationUnit: 'device', default: true }],
    });
    const res = await s.post('/api/v2/metrics/shop', { key: 'device-metric', kind: 'custom', eventKey: 'tap', isNumeric: false });
    expect(res.body.randomizationUnits).toEqual(['device']);
  });

  it('returns on GET exactly what the POST returned', async () => {
    const created = await s.post('/api/v2/metrics/shop', { key: 'roundtrip', kind: 'custom', eventKey: 'x', isNumeric: true, unit: 'items', tags: ['a'] });
    const read = await s.get('/api/v2/metrics/shop/roundtrip');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('a migration script run twice: the second run gets 409 for every metric and changes nothing', async () => {
    await s.post('/api/v2/projects', { name: 'Migrated', key: 'migrated' });
    const batch = [
      { key: 'purchases', kind: 'custom', eventKey: 'purchase', isNumeric: false, tags: ['statsig'] },
      { key: 'revenue', kind: 'custom', eventKey: 'purchase_value', isNumeric: true, unit: 'USD', unitAggregationType: 'sum', eventDefault: { disabled: false, value: 0 } },
      { key: 'home-views', kind: 'pageview', urls: [{ kind: 'exact', url: 'https://example.com/' }] },
    ];
    for (const body of batch) expect((await s.post('/api/v2/metrics/migrated', body)).status).toBe(201);
    const before = await Promise.all(batch.map((b) => s.get(`/api/v2/metrics/migrated/${b.key}`)));
    const listBefore = await s.get('/api/v2/metrics/migrated');

    for (const body of batch) {
      const again = await s.post('/api/v2/metrics/migrated', { ...body, name: 'changed on the second run' });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ code: 'conflict', message: `A metric with the key "${body.key}" already exists in project "migrated"` });
    }

    const after = await Promise.all(batch.map((b) => s.get(`/api/v2/metrics/migrated/${b.key}`)));
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect((await s.get('/api/v2/metrics/migrated')).body).toEqual(listBefore.body);
  });

  it('works through the official TypeScript client (launchdarkly-api-typescript)', async () => {
    const live = await startServer({ listen: true });
    try {
      await live.post('/api/v2/projects', { name: 'Client', key: 'client' });
      const api = new MetricsApi(new Configuration({ apiKey: live.tokens.writer, basePath: live.url }));
      const created = await api.postMetric('client', { key: 'clicks', kind: 'custom', eventKey: 'click', isNumeric: false, tags: ['x'] });
      expect(created.status).toBe(201);
      expect(created.data.key).toBe('clicks');
      const read = await api.getMetric('client', 'clicks', 'experimentCount,metricGroups');
      expect(read.data.experimentCount).toBe(0);
      const patched = await api.patchMetric('client', 'clicks', [{ op: 'replace', path: '/name', value: 'Clicks' }]);
      expect(patched.data).toMatchObject({ name: 'Clicks', _version: 2 });
      const list = await api.getMetrics('client', undefined, 10, 0, 'name', 'tags contains ["x"]');
      expect(list.data.items?.map((m) => m.key)).toEqual(['clicks']);
      expect((await api.deleteMetric('client', 'clicks')).status).toBe(204);
    } finally {
      await live.close();
    }
  });
});

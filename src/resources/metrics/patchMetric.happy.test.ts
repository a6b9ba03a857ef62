import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMetric: happy path', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.put('/api/v2/projects/shop/experimentation-settings', { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }] });
  });
  afterAll(() => s.close());

  const create = (body: Record<string, unknown>) => s.post('/api/v2/metrics/shop', body);

  it("applies Terraform's update patch: every field replaced, kind and isActive included", async () => {
    const created = await create({ key: 'tf', name: 'TF', kind: 'custom', eventKey: 'buy', isNumeric: false });
    const res = await s.patch('/api/v2/metrics/shop/tf', [
      { op: 'replace', path: '/name', value: 'Purchases' },
      { op: 'replace', path: '/description', value: 'completed orders' },
      { op: 'replace', path: '/tags', value: ['sales'] },
      { op: 'replace', path: '/kind', value: 'custom' },
      { op: 'replace', path: '/isActive', value: true },
      { op: 'replace', path: '/isNumeric', value: true },
      { op: 'replace', path: '/urls', value: [] },
      { op: 'replace', path: '/unit', value: 'orders' },
      { op: 'replace', path: '/selector', value: '' },
      { op: 'replace', path: '/eventKey', value: 'purchase' },
      { op: 'replace', path: '/unitAggregationType', value: 'sum' },
      { op: 'replace', path: '/analysisType', value: 'mean' },
      { op: 'replace', path: '/eventDefault/disabled', value: true },
      { op: 'replace', path: '/percentileValue', value: null },
      { op: 'replace', path: '/successCriteria', value: 'LowerThanBaseline' },
      { op: 'replace', path: '/maintainerId', value: s.deps.accountId },
      { op: 'replace', path: '/randomizationUnits', value: ['organization'] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      key: 'tf',
      name: 'Purchases',
      description: 'completed orders',
      tags: ['sales'],
      kind: 'custom',
      isNumeric: true,
      unit: 'orders',
      eventKey: 'purchase',
      unitAggregationType: 'sum',
      successCriteria: 'LowerThanBaseline',
      eventDefault: { disabled: true, value: 0 },
      randomizationUnits: ['organization'],
      _version: 2,
      _creationDate: created.body._creationDate,
    });
    for (const field of ['isActive', 'selector', 'urls', 'percentileValue']) expect(res.body).not.toHaveProperty(field);
    expect(res.body._versionId).not.toBe(created.body._versionId);
    expect(res.body.lastModified.date > created.body.lastModified.date).toBe(true);
    expect((await s.get('/api/v2/metrics/shop/tf')).body).toEqual(res.body);
  });

  it("LaunchDarkly's documented precondition: `test /version` reads the metric's _version, then the patch applies", async () => {
    const created = await create({ key: 'documented-lock', kind: 'custom', eventKey: 'e', isNumeric: false });
    const res = await s.patch('/api/v2/metrics/shop/documented-lock', [
      { op: 'test', path: '/version', value: created.body._version },
      { op: 'replace', path: '/description', value: 'The new description' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ description: 'The new description', _version: created.body._version + 1 });
    expect(res.body).not.toHaveProperty('version');
    expect((await s.get('/api/v2/metrics/shop/documented-lock')).body).toEqual(res.body);
  });

  it('honours a passing test operation, add and remove, and the analysisUnits alias', async () => {
    await create({ key: 'ops', kind: 'custom', eventKey: 'e', isNumeric: false, description: 'old', tags: ['a'] });
    const res = await s.patch('/api/v2/metrics/shop/ops', [
      { op: 'test', path: '/_version', value: 1 },
      { op: 'remove', path: '/description' },
      { op: 'add', path: '/tags/-', value: 'b' },
      { op: 'replace', path: '/analysisUnits', value: ['organization', 'user'] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('description');
    expect(res.body.tags).toEqual(['a', 'b']);
    expect(res.body.analysisUnits).toEqual(['organization', 'user']);
  });

  it('turns a mean metric into a percentile one and back', async () => {
    await create({ key: 'lat', kind: 'custom', eventKey: 't', isNumeric: true, unit: 'ms' });
    const pct = await s.patch('/api/v2/metrics/shop/lat', [
      { op: 'replace', path: '/analysisType', value: 'percentile' },
      { op: 'add', path: '/percentileValue', value: 99 },
      { op: 'replace', path: '/eventDefault/disabled', value: true },
    ]);
    expect(pct.body).toMatchObject({ analysisType: 'percentile', percentileValue: 99 });
    const mean = await s.patch('/api/v2/metrics/shop/lat', [
      { op: 'replace', path: '/analysisType', value: 'mean' },
      { op: 'remove', path: '/percentileValue' },
    ]);
    expect(mean.body.analysisType).toBe('mean');
    expect(mean.body).not.toHaveProperty('percentileValue');
    expect(mean.body._version).toBe(3);
  });

  it('adds, changes and removes winsorization', async () => {
    await create({ key: 'spend', kind: 'custom', eventKey: 'spend', isNumeric: true, dataSource: { key: 'snowflake' } });
    const added = await s.patch('/api/v2/metrics/shop/spend', [
      { op: 'add', path: '/winsorUpperPercentile', value: 99 },
      { op: 'add', path: '/winsorIncludeImputed', value: true },
    ]);
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ winsorUpperPercentile: 99, winsorIncludeImputed: true, _version: 2 });
    const reversed = await s.patch('/api/v2/metrics/shop/spend', [{ op: 'add', path: '/winsorLowerPercentile', value: 99.9 }]);
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toContain('winsorUpperPercentile');
    const removed = await s.patch('/api/v2/metrics/shop/spend', [
      { op: 'replace', path: '/winsorUpperPercentile', value: 97.5 },
      { op: 'remove', path: '/winsorIncludeImputed' },
    ]);
    expect(removed.body).toMatchObject({ winsorUpperPercentile: 97.5, _version: 3 });
    expect(removed.body).not.toHaveProperty('winsorIncludeImputed');
    // Moved to LaunchDarkly's hosted events, it can no longer be winsorized.
    const hosted = await s.patch('/api/v2/metrics/shop/spend', [{ op: 'replace', path: '/dataSource', value: { key: 'launchdarkly' } }]);
    expect(hosted.status).toBe(400);
    expect(hosted.body.message).toContain('winsorUpperPercentile');
  });

  it('a patch that changes nothing keeps the version', async () => {
    const created = await create({ key: 'same', name: 'Same', kind: 'pageview', urls: [{ kind: 'exact', url: 'https://a' }] });
    const res = await s.patch('/api/v2/metrics/shop/same', [
      { op: 'replace', path: '/name', value: 'Same' },
      { op: 'replace', path: '/isNumeric', value: false },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
    expect((await s.patch('/api/v2/metrics/shop/same', [])).body).toEqual(created.body);
  });

  it("takes LaunchDarkly's {comment, patch} form and records the change in the audit log", async () => {
    await create({ key: 'audited', kind: 'custom', eventKey: 'e', isNumeric: false });
    const res = await s.patch('/api/v2/metrics/shop/audited', { comment: 'rename for Q3', patch: [{ op: 'replace', path: '/name', value: 'Audited' }] });
    expect(res.status).toBe(200);
    const entry = await s.store.db.selectFrom('audit_log').select(['kind', 'resource', 'doc']).where('resource', '=', 'proj/shop:metric/audited').orderBy('date', 'desc').executeTakeFirstOrThrow();
    expect(entry.kind).toBe('metric');
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'updateMetric', comment: 'rename for Q3', after: { name: 'Audited' } });
    // getAuditLogEntry shows the metric as the API does, before and after, and the patch as sent.
    const listed = (await s.get(`/api/v2/auditlog?limit=1&spec=${encodeURIComponent('proj/shop:metric/audited')}`)).body.items[0];
    const full = (await s.get(`/api/v2/auditlog/${listed._id}`)).body;
    expect(full.currentVersion).toEqual(res.body);
    expect(full.previousVersion).toMatchObject({ key: 'audited', _links: res.body._links, _version: res.body._version - 1 });
    expect(full.previousVersion.name).not.toBe('Audited');
    expect(full.delta).toEqual([{ op: 'replace', path: '/name', value: 'Audited' }]);
  });

  it('concurrent patches are applied one after another: none is lost', async () => {
    await create({ key: 'busy', kind: 'custom', eventKey: 'e', isNumeric: false, tags: [] });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.patch('/api/v2/metrics/shop/busy', [{ op: 'add', path: '/tags/-', value: `t${i}` }])));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const final = await s.get('/api/v2/metrics/shop/busy');
    expect(final.body._version).toBe(9);
    expect([...final.body.tags].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `t${i}`).sort());
  });
});

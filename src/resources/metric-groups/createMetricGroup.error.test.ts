import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createMetricGroup: errors', () => {
  let s: TestServer;
  let base: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    for (const key of ['a', 'b']) await s.post('/api/v2/metrics/shop', { key, kind: 'custom', eventKey: key, isNumeric: false });
    base = { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a' }, { key: 'b' }] };
  });
  afterAll(() => s.close());

  async function rejects(body: Record<string, unknown>, errors: { attribute: string; reason: string }[], message?: string) {
    const res = await s.post('/api/v2/projects/shop/metric-groups', body, BETA);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual(errors);
    if (message) expect(res.body.message).toBe(message);
    for (const e of errors) expect(res.body.message).toContain(e.reason);
    expect((await s.get(`/api/v2/projects/shop/metric-groups/${String(body.key)}`, BETA)).status).toBe(404);
  }

  it("400 'maintainer ID is required' for an empty or missing maintainer, as LaunchDarkly says it", async () => {
    const required = [{ attribute: 'maintainerId', reason: 'maintainer ID is required' }];
    await rejects({ ...base, maintainerId: '' }, required, 'maintainer ID is required');
    const { maintainerId: _omit, ...withoutMaintainer } = base;
    await rejects(withoutMaintainer, required, 'maintainer ID is required');
    await rejects({ ...base, maintainerId: 'ghost' }, [{ attribute: 'maintainerId', reason: 'no member has the ID "ghost"' }]);
  });

  it('400 naming each member metric that does not exist', async () => {
    await rejects({ ...base, metrics: [{ key: 'a' }, { key: 'zzz' }, { key: 'yyy' }] }, [
      { attribute: 'metrics[1].key', reason: 'no metric "zzz" in project "shop"' },
      { attribute: 'metrics[2].key', reason: 'no metric "yyy" in project "shop"' },
    ]);
  });

  it('400 for a funnel step without a name in the group, and a standard metric with one', async () => {
    await rejects({ ...base, kind: 'funnel', metrics: [{ key: 'a', nameInGroup: 'Step 1' }, { key: 'b' }] }, [
      { attribute: 'metrics[1].nameInGroup', reason: 'must be present for every metric of a funnel group' },
    ]);
    await rejects({ ...base, metrics: [{ key: 'a', nameInGroup: 'First' }, { key: 'b' }] }, [
      { attribute: 'metrics[0].nameInGroup', reason: 'applies to funnel groups only, not to standard groups' },
    ]);
  });

  it("400 for a numeric metric as a funnel's step (LaunchDarkly: funnels take no custom numeric metrics); a standard group takes it", async () => {
    expect((await s.post('/api/v2/metrics/shop', { key: 'spend', kind: 'custom', eventKey: 'spend', isNumeric: true })).status).toBe(201);
    await rejects({ ...base, key: 'numeric-funnel', kind: 'funnel', metrics: [{ key: 'a', nameInGroup: 'Step 1' }, { key: 'spend', nameInGroup: 'Step 2' }] }, [
      { attribute: 'metrics[1].key', reason: `metric "spend" is numeric; a funnel's steps are conversion, click or page view metrics` },
    ]);
    const standard = await s.post('/api/v2/projects/shop/metric-groups', { ...base, key: 'numeric-standard', metrics: [{ key: 'a' }, { key: 'spend' }] }, BETA);
    expect(standard.status).toBe(201);
  });

  it('400 for the same metric twice', async () => {
    await rejects({ ...base, metrics: [{ key: 'a' }, { key: 'a' }] }, [{ attribute: 'metrics[1].key', reason: 'the metric "a" is already in the group' }]);
  });

  it('400 naming required fields that are missing or of the wrong type', async () => {
    const res = await s.post('/api/v2/projects/shop/metric-groups', { key: 'g', kind: 'ordered', metrics: [] }, BETA);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { attribute: 'name', reason: 'must be present' },
        { attribute: 'tags', reason: 'must be present' },
        { attribute: 'kind', reason: 'must be one of "funnel", "standard"' },
        { attribute: 'metrics', reason: 'must have at least 1 item(s)' },
        { attribute: 'maintainerId', reason: 'maintainer ID is required' },
      ]),
    );
    // An empty body: every required member named at once, the maintainer included.
    const empty = await s.post('/api/v2/projects/shop/metric-groups', {}, BETA);
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e: { attribute: string }) => e.attribute).sort()).toEqual(['kind', 'maintainerId', 'metrics', 'name', 'tags']);
  });

  it('409 on a duplicate key; the first group is untouched', async () => {
    expect((await s.post('/api/v2/projects/shop/metric-groups', { ...base, key: 'dup' }, BETA)).status).toBe(201);
    const res = await s.post('/api/v2/projects/shop/metric-groups', { ...base, key: 'dup', name: 'Other' }, BETA);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A metric group with the key "dup" already exists in project "shop"' });
    expect((await s.get('/api/v2/projects/shop/metric-groups/dup', BETA)).body.name).toBe('G');
  });

  it('404 naming a project that does not exist', async () => {
    expect(await s.post('/api/v2/projects/gone/metric-groups', base, BETA)).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });
});

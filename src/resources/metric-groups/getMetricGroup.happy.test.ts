import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetricGroup: happy path', () => {
  let s: TestServer;
  let created: Record<string, unknown>;
  beforeAll(async () => {
    let clock = Date.UTC(2026, 0, 1);
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    for (const key of ['a', 'b']) await s.post('/api/v2/metrics/shop', { key, kind: 'custom', eventKey: key, isNumeric: false });
    created = (
      await s.post('/api/v2/projects/shop/metric-groups', { key: 'g', name: 'G', kind: 'funnel', maintainerId: s.deps.accountId, tags: ['x'], metrics: [{ key: 'b', nameInGroup: 'B' }, { key: 'a', nameInGroup: 'A' }] }, BETA)
    ).body;
    await s.post('/api/v2/projects/shop/metric-groups', { key: 'unused', name: 'Unused', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a' }] }, BETA);
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'running', status: 'running', refs: [{ kind: 'metric-group', key: 'g' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'archived', status: 'stopped', archivedDate: Date.UTC(2026, 1, 1), refs: [{ kind: 'metric-group', key: 'g' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'direct', status: 'running', refs: [{ kind: 'metric', key: 'a' }] });
  });
  afterAll(() => s.close());

  it('returns the group as it was created', async () => {
    const res = await s.get('/api/v2/projects/shop/metric-groups/g', BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  it('maintainer is in both MaintainerRep forms (2026-03 member, 2026-07 key/kind/_member); member metrics carry analysisType and analysisUnits', async () => {
    await s.post('/api/v2/metrics/shop', { key: 'p95', kind: 'custom', eventKey: 'latency', isNumeric: true, unit: 'ms', analysisType: 'percentile', percentileValue: 95 });
    const group = await s.post('/api/v2/projects/shop/metric-groups', { key: 'both', name: 'Both', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a' }, { key: 'p95' }] }, BETA);
    expect(group.status).toBe(201);
    const res = await s.get('/api/v2/projects/shop/metric-groups/both', BETA);
    const { maintainer } = res.body;
    expect(maintainer).toMatchObject({ key: s.deps.accountId, kind: 'member', member: { _id: s.deps.accountId, email: 'owner@iterlab.local' } });
    expect(maintainer._member).toEqual(maintainer.member);
    const a = (await s.get('/api/v2/metrics/shop/a')).body;
    expect(res.body.metrics.map((m: Record<string, unknown>) => [m.key, m.analysisType, m.analysisUnits, m.randomizationUnits])).toEqual([
      ['a', 'mean', a.randomizationUnits, a.randomizationUnits],
      ['p95', 'percentile', a.randomizationUnits, a.randomizationUnits],
    ]);
    expect(a.analysisUnits).toEqual(a.randomizationUnits);
  });

  it('shows member metrics as they are now', async () => {
    await s.patch('/api/v2/metrics/shop/a', [{ op: 'replace', path: '/name', value: 'Renamed A' }]);
    const res = await s.get('/api/v2/projects/shop/metric-groups/g', BETA);
    expect(res.body.metrics[1]).toMatchObject({ key: 'a', name: 'Renamed A', nameInGroup: 'A' });
  });

  it('expand=experiments,experimentCount lists the experiments that use the group itself', async () => {
    const res = await s.get('/api/v2/projects/shop/metric-groups/g?expand=experiments,experimentCount', BETA);
    expect(res.body.experimentCount).toBe(2);
    expect(res.body.activeExperimentCount).toBe(1);
    expect(res.body.experiments.map((e: { key: string }) => e.key)).toEqual(['running', 'archived']);
    expect(res.body.experiments[1].archivedDate).toBe(Date.UTC(2026, 1, 1));
    const unused = await s.get('/api/v2/projects/shop/metric-groups/unused?expand=experiments,experimentCount', BETA);
    expect(unused.body.experimentCount).toBe(0);
    expect(unused.body).not.toHaveProperty('experiments');
  });
});

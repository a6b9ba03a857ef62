// Insight groups and scores: createInsightGroup (201, 409 on a key taken), getInsightGroup(s) with expansions
// (scores, environment, metadata), patchInsightGroup, deleteInsightGroup, getInsightsScores computed from the
// deployments and flag events of the period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, deploy, HOUR, insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';

const GROUPS = '/api/v2/engineering-insights/insights/groups';

describe('Insight groups and scores', () => {
  let w: InsightsWorld;
  const T = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    w = await insightsWorld(T);
    // 40 days of daily deployments of billing, each with a pull request merged two hours before; every tenth failed.
    for (let day = 0; day < 40; day++) {
      const at = T + day * DAY;
      await deploy(w, `v${day}`, at, { durationMs: HOUR, status: day % 10 === 9 ? 'failed' : 'finished', pullRequests: [{ externalId: String(day), title: `PR ${day}`, author: 'jane', createTime: at - 3 * HOUR, mergeTime: at - 2 * HOUR }] });
    }
    w.clock.now = T + 40 * DAY;
  });
  afterAll(() => w.s.close());

  it('getInsightsScores: each indicator graded, the composites averaged, beside the period before', async () => {
    const res = await w.get('/api/v2/engineering-insights/insights/scores?projectKey=shop&environmentKey=production');
    expect(res.status).toBe(200);
    const now = w.clock.now;
    expect(res.body.period).toEqual({ startTime: now - 30 * DAY, endTime: now });
    expect(res.body.lastPeriod).toEqual({ startTime: now - 60 * DAY, endTime: now - 30 * DAY });
    const { scores } = res.body;
    expect(scores.deploymentFrequency).toMatchObject({ score: 100, indicator: 'excellent', indicatorRange: { min: 90, max: 100 }, diffVsLastPeriod: 20 });
    // The 30 days before saw 11 deployments: at least one a week, good.
    expect(scores.deploymentFrequency.lastPeriod).toMatchObject({ score: 80, indicator: 'good' });
    expect(scores.leadTime).toMatchObject({ score: 100, indicator: 'excellent' });
    // 3 of 30 deployments failed: 10%.
    expect(scores.deploymentFailureRate).toMatchObject({ score: 80, indicator: 'good' });
    expect(scores.velocity).toMatchObject({ score: 100, indicator: 'excellent', aggregateOf: ['deploymentFrequency', 'leadTime'] });
    expect(scores.risk).toMatchObject({ score: 80, indicator: 'good', aggregateOf: ['deploymentFailureRate', 'impactSize'] });
    expect(scores.impactSize).toMatchObject({ indicator: 'notCalculated', score: 0 });
    // Two temporary flags, new (created at T, more than seven days ago) and never evaluated: inactive, so stale.
    expect(scores.flagHealth).toMatchObject({ indicator: 'needsAttention', score: 25 });
    expect(scores.efficiency).toMatchObject({ score: 25, indicator: 'needsAttention' });
    expect(scores.overall).toMatchObject({ score: 68, indicator: 'fair', aggregateOf: ['velocity', 'risk', 'efficiency'] });
  });

  it('creates, reads, lists, patches and deletes groups', async () => {
    const res = await w.post('/api/v2/engineering-insights/insights/group', { key: 'prod-billing', name: 'Production - Billing', projectKey: 'shop', environmentKey: 'production', applicationKeys: ['billing'] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ key: 'prod-billing', name: 'Production - Billing', projectKey: 'shop', environmentKey: 'production', applicationKeys: ['billing'], createdAt: w.clock.now });
    expect((await w.post('/api/v2/engineering-insights/insights/group', { key: 'prod-billing', name: 'Again', projectKey: 'shop', environmentKey: 'production' })).status).toBe(409);
    expect((await w.post('/api/v2/engineering-insights/insights/group', { key: 'all-test', name: 'Test - All apps', projectKey: 'shop', environmentKey: 'test' })).status).toBe(201);

    const one = await w.get(`${GROUPS}/prod-billing?expand=scores,environment`);
    expect(one.body.environment).toMatchObject({ key: 'production', _id: expect.any(String) });
    expect(one.body.scores.deploymentFrequency.indicator).toBe('excellent');
    expect(one.body.scoreMetadata.period.endTime).toBe(w.clock.now);

    const list = await w.get(`${GROUPS}?expand=metadata&sort=-name`);
    expect(list.body.items.map((g: { key: string }) => g.key)).toEqual(['all-test', 'prod-billing']);
    expect(list.body.items[0].scores).toBeUndefined();
    // prod-billing's flags are those billing's SDKs evaluated (none): its efficiency is not calculated, velocity and
    // risk make it excellent; all-test has no deployments, and its stale flags need attention.
    expect(list.body.metadata).toEqual({ countByIndicator: { excellent: 1, good: 0, fair: 0, needsAttention: 1, notCalculated: 0, unknown: 0, total: 2 } });
    expect((await w.get(`${GROUPS}?query=billing&limit=1`)).body).toMatchObject({ totalCount: 1, items: [{ key: 'prod-billing' }] });

    const patched = await w.patch(`${GROUPS}/prod-billing`, [{ op: 'replace', path: '/name', value: 'Prod group' }, { op: 'remove', path: '/applicationKeys' }]);
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ key: 'prod-billing', name: 'Prod group', projectKey: 'shop', environmentKey: 'production', createdAt: expect.any(Number) });
    expect((await w.del(`${GROUPS}/prod-billing`)).status).toBe(204);
    expect((await w.get(`${GROUPS}/prod-billing`)).status).toBe(404);
  });
});

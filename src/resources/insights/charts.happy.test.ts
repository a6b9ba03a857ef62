// The five charts from iterlab's data: deployment frequency (buckets, groupBy application/kind, metrics), lead time
// (by stage, by application, percentiles), release frequency (flag events, groupBy impact), flag status and stale
// flags (statuses in the environment now, maintainers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, deploy, HOUR, insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';

const CHARTS = '/api/v2/engineering-insights/charts';

describe('Insights charts', () => {
  let w: InsightsWorld;
  const T = Date.UTC(2026, 0, 1);
  const pr = (id: string, createTime: number) => ({ externalId: id, title: `PR ${id}`, author: 'jane', createTime, mergeTime: createTime + HOUR });
  const chart = async (path: string, query: string) => {
    const res = await w.get(`${CHARTS}/${path}?projectKey=shop&environmentKey=production${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  beforeAll(async () => {
    w = await insightsWorld(T);
    await deploy(w, 'v1', T + 2 * HOUR, { durationMs: HOUR, pullRequests: [pr('1', T)] });
    await deploy(w, 'v2', T + DAY + 2 * HOUR, { durationMs: HOUR, pullRequests: [pr('2', T + DAY - 2 * HOUR)], applicationKey: 'web' });
    await deploy(w, 'v1', T + DAY + 5 * HOUR, { status: 'failed' });
    w.clock.now = T + 2 * DAY;
    expect((await w.s.patch('/api/v2/flags/shop/checkout', [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    w.clock.now = T + 3 * DAY;
  });
  afterAll(() => w.s.close());

  it('deployment frequency: per day bucket, by application and kind, graded', async () => {
    const body = await chart('deployments/frequency', `&from=${T}&to=${T + 3 * DAY}&bucketType=day&expand=metrics`);
    expect(body.metadata).toEqual({
      name: 'deploymentFrequency',
      summary: { totalDeployments: 3, deploymentsPerDay: 1 },
      xAxis: { unit: 'timestamp' },
      yAxis: { unit: 'count' },
      metrics: { deploymentFrequency: { indicator: 'excellent', value: 1, unit: 'count', modifier: 'per day', tiers: expect.arrayContaining([{ indicator: 'good', description: 'at least 1 per week' }]) } },
    });
    expect(body.series).toEqual([{ metadata: { name: 'deployments', count: 3 }, data: [{ x: T, y: 1 }, { x: T + DAY, y: 2 }, { x: T + 2 * DAY, y: 0 }] }]);
    const byApp = await chart('deployments/frequency', `&from=${T}&to=${T + 3 * DAY}&bucketMs=${3 * DAY}&groupBy=application`);
    expect(byApp.series.map((s: { metadata: { name: string; count: number } }) => [s.metadata.name, s.metadata.count])).toEqual([['billing', 2], ['web', 1]]);
    const byKind = await chart('deployments/frequency', `&from=${T}&to=${T + 3 * DAY}&bucketMs=${3 * DAY}&groupBy=kind`);
    expect(byKind.series.map((s: { metadata: { name: string; count: number } }) => [s.metadata.name, s.metadata.count])).toEqual([['new', 2], ['redeployment', 1], ['rollback', 0]]);
  });

  it('lead time: each stage averaged per bucket; by application with percentiles', async () => {
    const body = await chart('lead-time', `&from=${T}&to=${T + 2 * DAY}&bucketType=day&expand=metrics,percentiles`);
    expect(body.series.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual(['coding', 'review', 'wait', 'deploy']);
    expect(body.series[2].data).toEqual([{ x: T, y: HOUR, values: { p50: 3 * HOUR, p90: 3 * HOUR, p95: 3 * HOUR } }, { x: T + DAY, y: 3 * HOUR, values: { p50: 5 * HOUR, p90: 5 * HOUR, p95: 5 * HOUR } }]);
    expect(body.metadata.summary).toEqual({ deployments: 2, averageLeadTimeMs: 4 * HOUR });
    expect(body.metadata.metrics.leadTime).toMatchObject({ indicator: 'excellent', value: 4, unit: 'hours' });
    const byApp = await chart('lead-time', `&from=${T}&to=${T + 2 * DAY}&bucketType=day&groupBy=application`);
    expect(byApp.series).toEqual([
      { metadata: { name: 'billing', count: 1 }, data: [{ x: T, y: 3 * HOUR }, { x: T + DAY, y: 0 }] },
      { metadata: { name: 'web', count: 1 }, data: [{ x: T, y: 0 }, { x: T + DAY, y: 5 * HOUR }] },
    ]);
  });

  it('release frequency: flag events per bucket, by impact', async () => {
    const body = await chart('releases/frequency', `&from=${T}&to=${T + 3 * DAY}&bucketType=day&groupBy=impact`);
    expect(body.metadata.summary).toEqual({ totalReleases: 3, releasesPerDay: 1, withExperiments: 0 });
    expect(body.series.map((s: { metadata: { name: string; count: number } }) => [s.metadata.name, s.metadata.count])).toEqual([['none', 1], ['small', 0], ['medium', 0], ['large', 0], ['unknown', 2]]);
    const local = await chart('releases/frequency', `&from=${T}&to=${T + 3 * DAY}&bucketType=day&global=exclude`);
    expect(local.series).toEqual([{ metadata: { name: 'releases', count: 1 }, data: [{ x: T, y: 0 }, { x: T + DAY, y: 0 }, { x: T + 2 * DAY, y: 1 }] }]);
  });

  it('flag status and stale flags in the environment now', async () => {
    // Flags are "new" for seven days; with no SDK evaluating them they are inactive after.
    w.clock.now = T + 10 * DAY;
    const status = await chart('flags/status', '');
    expect(status.metadata.summary).toEqual({ totalFlags: 2, new: 0, active: 0, inactive: 2, launched: 0 });
    expect(status.series[2]).toEqual({ metadata: { name: 'inactive', count: 2 }, data: [{ x: w.clock.now, y: 2 }] });
    const stale = await chart('flags/stale', '&groupBy=maintainer&expand=metrics');
    expect(stale.metadata.summary).toMatchObject({ staleFlags: 2, temporaryFlags: 2, staleFlagKeys: ['checkout', 'search'] });
    expect(stale.series).toEqual([{ metadata: { name: expect.any(String), count: 2 }, data: [{ x: w.clock.now, y: 2 }] }]);
    expect(stale.metadata.metrics.flagHealth).toMatchObject({ indicator: 'needsAttention', value: 0, unit: 'percent' });
    expect((await chart('flags/stale', '&maintainerTeamKey=nobody')).metadata.summary.staleFlags).toBe(0);
  });
});

// getPullRequests: the pull requests deployment events named, once each, `deployed` once a deployment carrying one
// finished; filters, the window, lead time (per environment) and its sort, expansions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, deploy, HOUR, insightsWorld, sendEvent, type InsightsWorld } from '../../../test/support/insights.js';

describe('getPullRequests', () => {
  let w: InsightsWorld;
  const T = Date.UTC(2026, 0, 5);
  const pr = (externalId: string, title: string, author: string, createTime: number, more: Record<string, unknown> = {}) => ({ externalId, title, author, createTime, mergeTime: createTime + HOUR, linesAdded: 10, linesDeleted: 2, url: `https://github.com/acme/billing/pull/${externalId}`, ...more });
  const list = (query: string) => w.get(`/api/v2/engineering-insights/pull-requests?projectKey=shop&from=0${query}`);
  beforeAll(async () => {
    w = await insightsWorld();
    await deploy(w, 'v1', T, { durationMs: HOUR, pullRequests: [pr('1', 'Faster checkout', 'jane', T - 5 * HOUR, { flagReferences: [{ flagKey: 'checkout', referencesAdded: 1 }] }), pr('2', 'Search box', 'sam', T - 3 * HOUR)] });
    await deploy(w, 'v1', T + DAY, { environmentKey: 'test', durationMs: HOUR, pullRequests: [pr('1', 'Faster checkout', 'jane', T - 5 * HOUR)] });
    await sendEvent(w, { version: 'v2', eventType: 'started', eventTime: T + 2 * DAY, deploymentMetadata: { pullRequests: [pr('3', 'Receipts', 'jane', T + DAY, { status: 'merged' })] } });
  });
  afterAll(() => w.s.close());

  it('each pull request once, newest first; deployed once a deployment finished', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { externalId: string; status: string }) => [p.externalId, p.status])).toEqual([['3', 'merged'], ['2', 'deployed'], ['1', 'deployed']]);
    expect(res.body.items[2]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      externalId: '1',
      title: 'Faster checkout',
      status: 'deployed',
      author: 'jane',
      createTime: T - 5 * HOUR,
      mergeTime: T - 4 * HOUR,
      baseCommitKey: '',
      headCommitKey: '',
      filesChanged: 0,
      linesAdded: 10,
      linesDeleted: 2,
      url: 'https://github.com/acme/billing/pull/1',
    });
  });

  it('filters on status, query and the window', async () => {
    expect((await list('&status=merged')).body.items.map((p: { externalId: string }) => p.externalId)).toEqual(['3']);
    expect((await list('&query=JANE')).body.totalCount).toBe(2);
    expect((await list('&query=search')).body.items.map((p: { externalId: string }) => p.externalId)).toEqual(['2']);
    expect((await list(`&to=${new Date(T).toISOString()}`)).body.totalCount).toBe(2);
    expect((await list('&applicationKey=web')).body.totalCount).toBe(0);
  });

  it("lead time in an environment, sorted by it; the deployments and flag references it came with", async () => {
    const res = await list('&environmentKey=production&sort=-leadTime&expand=leadTime,deployments,flagReferences');
    expect(res.body.items.map((p: { externalId: string }) => p.externalId)).toEqual(['1', '2', '3']);
    expect(res.body.items[0].leadTime).toEqual({ codingDurationMs: 0, reviewDurationMs: HOUR, maxWaitDurationMs: 4 * HOUR, avgWaitDurationMs: 4 * HOUR, maxDeployDurationMs: HOUR, avgDeployDurationMs: HOUR, maxTotalLeadTimeMs: 6 * HOUR, avgTotalLeadTimeMs: 6 * HOUR });
    expect(res.body.items[0].deployments.items.map((d: { environmentKey: string }) => d.environmentKey)).toEqual(['production']);
    expect(res.body.items[0].flagReferences).toEqual({ totalCount: 1, items: [{ projectKey: 'shop', flagKey: 'checkout', referencesAdded: 1, referencesRemoved: 0 }] });
    expect(res.body.items[2].leadTime).toEqual({ codingDurationMs: 0, reviewDurationMs: HOUR });
    expect((await list('&environmentKey=production&sort=leadTime')).body.items.map((p: { externalId: string }) => p.externalId)).toEqual(['2', '1', '3']);
  });
});

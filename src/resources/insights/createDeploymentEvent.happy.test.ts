// createDeploymentEvent: CI's started/finished/failed/custom events make deployments (kind new, redeployment,
// rollback; the latest finished one active), their pull requests come from deploymentMetadata, the application and
// version are added to the Applications list; 201 without a body and an audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, deploy, deploymentsOf, EVENTS, HOUR, insightsWorld, sendEvent, type InsightsWorld } from '../../../test/support/insights.js';

describe('createDeploymentEvent', () => {
  let w: InsightsWorld;
  const T = Date.UTC(2026, 0, 9);
  beforeAll(async () => {
    w = await insightsWorld();
  });
  afterAll(() => w.s.close());

  it('started then finished: one deployment with its times, pull requests, lead time and the application added', async () => {
    const res = await w.post(EVENTS, {
      projectKey: 'shop',
      environmentKey: 'production',
      applicationKey: 'billing',
      applicationName: 'Billing service',
      version: 'a90a8a2',
      versionName: 'v1.0.0',
      eventType: 'started',
      eventTime: T,
      eventMetadata: { buildSystemVersion: 'v1.2.3' },
      deploymentMetadata: {
        buildNumber: '1234',
        pullRequests: [
          { externalId: '406', title: 'New payment structure', author: 'jane', status: 'merged', createTime: T - 5 * HOUR, mergeTime: T - 2 * HOUR, firstCommitTime: T - 8 * HOUR, linesAdded: 100, linesDeleted: 50, filesChanged: 3, baseCommitKey: 'b1', headCommitKey: 'h1', url: 'https://github.com/acme/billing/pull/406', flagReferences: [{ flagKey: 'checkout', referencesAdded: 2 }] },
          { number: 407, title: 'Fix rounding', author: 'sam', createTime: T - 3 * HOUR, mergeTime: T - HOUR, linesAdded: 5, linesDeleted: 1 },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toBeFalsy();
    await sendEvent(w, { version: 'a90a8a2', eventType: 'finished', eventTime: T + HOUR });
    const [d] = await deploymentsOf(w, '&expand=pullRequests,flagReferences');
    expect(d).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      applicationKey: 'billing',
      applicationVersion: 'a90a8a2',
      startedAt: T,
      endedAt: T + HOUR,
      durationMs: HOUR,
      status: 'finished',
      kind: 'new',
      active: true,
      archived: false,
      environmentKey: 'production',
      metadata: { buildNumber: '1234' },
      numberOfContributors: 2,
      numberOfPullRequests: 2,
      linesAdded: 105,
      linesDeleted: 51,
      leadTime: 9 * HOUR,
      leadTimeStages: { codingDurationMs: 1.5 * HOUR, reviewDurationMs: 2.5 * HOUR, waitDurationMs: 1.5 * HOUR, deployDurationMs: HOUR, totalLeadTimeMs: 9 * HOUR },
      flagReferences: { totalCount: 1, items: [{ projectKey: 'shop', flagKey: 'checkout', referencesAdded: 2, referencesRemoved: 0 }] },
    });
    expect(d.pullRequests.items.map((pr: { externalId: string; status: string }) => [pr.externalId, pr.status])).toEqual([['406', 'deployed'], ['407', 'deployed']]);
    const application = await w.s.get('/api/v2/applications/billing', { headers: { 'ld-api-version': 'beta' } });
    expect(application.body).toMatchObject({ key: 'billing', name: 'Billing service', kind: 'server' });
    const versions = await w.s.get('/api/v2/applications/billing/versions', { headers: { 'ld-api-version': 'beta' } });
    expect(versions.body.items).toEqual([expect.objectContaining({ key: 'a90a8a2', name: 'v1.0.0' })]);
    const audit = (await w.s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/shop:env/production:deployment/${d.id}`)}`)).body.items;
    expect(audit.map((e: { description: string }) => e.description)).toHaveLength(2);
  });

  it('kinds: the same version again is a redeployment, an earlier one a rollback; a failure is not active', async () => {
    await deploy(w, 'v2', T + DAY);
    await deploy(w, 'v2', T + 2 * DAY);
    await deploy(w, 'a90a8a2', T + 3 * DAY);
    await deploy(w, 'v3', T + 4 * DAY, { status: 'failed' });
    w.clock.now = T + 5 * DAY;
    const listed = await deploymentsOf(w);
    expect(listed.map((d) => [d.applicationVersion, d.kind, d.status, d.active])).toEqual([
      ['v3', 'new', 'failed', false],
      ['a90a8a2', 'rollback', 'finished', true],
      ['v2', 'redeployment', 'finished', false],
      ['v2', 'new', 'finished', false],
      ['a90a8a2', 'new', 'finished', false],
    ]);
  });

  it('a finished event without a start records a deployment that started and ended then; eventTime defaults to now', async () => {
    w.clock.now = T + 6 * DAY;
    await sendEvent(w, { applicationKey: 'search-api', version: '1.0', eventType: 'finished' });
    const [d] = await deploymentsOf(w, '&applicationKey=search-api');
    expect(d).toMatchObject({ startedAt: T + 6 * DAY, endedAt: T + 6 * DAY, durationMs: 0, status: 'finished', leadTime: 0 });
    expect(d.leadTimeStages).toBeUndefined();
    await sendEvent(w, { applicationKey: 'search-api', version: '1.0', eventType: 'custom', eventMetadata: { note: 'smoke tests passed' }, deploymentMetadata: { region: 'eu' } });
    expect((await deploymentsOf(w, '&applicationKey=search-api'))[0]).toMatchObject({ status: 'finished', metadata: { region: 'eu' } });
  });
});

// The official REST client (launchdarkly-api-typescript) drives the Insights APIs (beta) over real HTTP, unchanged:
// InsightsDeploymentsBetaApi (createDeploymentEvent, getDeployments, getDeployment, updateDeployment),
// InsightsFlagEventsBetaApi, InsightsPullRequestsBetaApi, InsightsRepositoriesBetaApi, InsightsChartsBetaApi (all five
// charts) and InsightsScoresBetaApi (insight groups and scores). The generated client does not send LD-API-Version for
// these operations, so the Configuration's baseOptions carry it, as a caller must.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Configuration,
  InsightsChartsBetaApi,
  InsightsDeploymentsBetaApi,
  InsightsFlagEventsBetaApi,
  InsightsPullRequestsBetaApi,
  InsightsRepositoriesBetaApi,
  InsightsScoresBetaApi,
} from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);

describe('Insights through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let now = T0;
  let config: Configuration;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => now });
    config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.post('/api/v2/code-refs/repositories', { name: 'billing', sourceLink: 'https://github.com/acme/billing', type: 'github' })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('deployment events, deployments, pull requests and flag events', async () => {
    const deployments = new InsightsDeploymentsBetaApi(config);
    const started = T0 - 2 * HOUR;
    const created = await deployments.createDeploymentEvent({
      projectKey: 'shop',
      environmentKey: 'production',
      applicationKey: 'billing-service',
      applicationName: 'Billing Service',
      applicationKind: 'server',
      version: 'a90a8a2',
      versionName: 'v1.0.0',
      eventType: 'started',
      eventTime: started,
      eventMetadata: { buildSystemVersion: 'v1.2.3' },
      deploymentMetadata: { buildNumber: '1234', pullRequests: [{ externalId: '406', title: 'Enable new payment structure', author: 'jane.doe', createTime: started - 3 * HOUR, mergeTime: started - HOUR, linesAdded: 100, linesDeleted: 50, url: 'https://github.com/acme/billing/pull/406' }] },
    });
    expect(created.status).toBe(201);
    await deployments.createDeploymentEvent({ projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing-service', version: 'a90a8a2', eventType: 'finished', eventTime: started + HOUR });
    const listed = await deployments.getDeployments('shop', 'production', 'billing-service', 10, 'pullRequests', 0, now);
    expect(listed.data.totalCount).toBe(1);
    const [deployment] = listed.data.items;
    expect(deployment).toMatchObject({ applicationKey: 'billing-service', applicationVersion: 'a90a8a2', status: 'finished', kind: 'new', active: true, numberOfPullRequests: 1, linesAdded: 100, leadTime: 4 * HOUR });
    expect((await deployments.getDeployment(deployment.id, 'flagReferences')).data.flagReferences).toEqual({ totalCount: 0, items: [] });
    const updated = await deployments.updateDeployment(deployment.id, [{ op: 'replace', path: '/archived', value: true }]);
    expect(updated.data.archived).toBe(true);

    const prs = await new InsightsPullRequestsBetaApi(config).getPullRequests('shop', 'production', undefined, 'deployed', undefined, 20, 'leadTime', '-leadTime', new Date(0).toISOString(), new Date(now).toISOString());
    expect(prs.data.items).toEqual([expect.objectContaining({ externalId: '406', status: 'deployed', leadTime: expect.objectContaining({ avgTotalLeadTimeMs: 4 * HOUR }) })]);

    now = T0 + HOUR;
    await s.patch('/api/v2/flags/shop/checkout', [{ op: 'replace', path: '/environments/production/on', value: true }]);
    now = T0 + 2 * HOUR;
    const events = await new InsightsFlagEventsBetaApi(config).getFlagEvents('shop', 'production', undefined, 'checkout', undefined, undefined, 'exclude', 'experiments', 20, 0, now);
    expect(events.data.items).toEqual([expect.objectContaining({ flagKey: 'checkout', eventType: 'enabled_targeting', impact: expect.objectContaining({ size: 'none', reason: 'evaluations' }), experiments: { totalCount: 0, items: [] } })]);
  });

  it('repositories, charts, insight groups and scores', async () => {
    const repositories = new InsightsRepositoriesBetaApi(config);
    expect((await repositories.associateRepositoriesAndProjects({ mappings: [{ repositoryKey: 'billing', projectKey: 'shop' }] })).data).toMatchObject({ totalCount: 1, items: [{ repositoryKey: 'billing', projectKey: 'shop' }] });
    expect((await repositories.getInsightsRepositories('projects')).data.items).toEqual([expect.objectContaining({ key: 'billing', type: 'github', url: 'https://github.com/acme/billing', projects: expect.objectContaining({ totalCount: 1 }) })]);
    expect((await repositories.deleteRepositoryProject('billing', 'shop')).status).toBe(204);

    const charts = new InsightsChartsBetaApi(config);
    const from = new Date(T0 - 24 * HOUR).toISOString();
    const to = new Date(now).toISOString();
    expect((await charts.getDeploymentFrequencyChart('shop', 'production', undefined, from, to, 'day', undefined, 'application', 'metrics')).data.series).toEqual([expect.objectContaining({ metadata: { name: 'billing-service', count: 1 } })]);
    expect((await charts.getLeadTimeChart('shop', 'production', undefined, T0 - 24 * HOUR, now, 'rolling', 24 * HOUR)).data.metadata.summary).toEqual({ deployments: 1, averageLeadTimeMs: 4 * HOUR });
    expect((await charts.getReleaseFrequencyChart('shop', 'production', undefined, undefined, 'exclude', 'impact', from, to, 'hour')).data.metadata.summary).toMatchObject({ totalReleases: 1 });
    expect((await charts.getFlagStatusChart('shop', 'production')).data.metadata.summary).toMatchObject({ totalFlags: 1 });
    expect((await charts.getStaleFlagsChart('shop', 'production', undefined, 'maintainer', undefined, undefined, 'metrics')).data.metadata.metrics).toHaveProperty('flagHealth');

    const scores = new InsightsScoresBetaApi(config);
    const group = await scores.createInsightGroup({ key: 'default-production-all-apps', name: 'Production - All Apps', projectKey: 'shop', environmentKey: 'production', applicationKeys: ['billing-service'] });
    expect(group.status).toBe(201);
    expect((await scores.getInsightGroups(10, 0, 'name', 'production', 'scores,environment,metadata')).data).toMatchObject({ totalCount: 1, metadata: { countByIndicator: { total: 1 } } });
    expect((await scores.patchInsightGroup('default-production-all-apps', [{ op: 'replace', path: '/name', value: 'Prod group' }])).data.name).toBe('Prod group');
    expect((await scores.getInsightGroup('default-production-all-apps', 'scores')).data.scores?.deploymentFrequency.indicator).toBe('fair');
    expect((await scores.getInsightsScores('shop', 'production', 'billing-service')).data.scores.velocity.aggregateOf).toEqual(['deploymentFrequency', 'leadTime']);
    expect((await scores.deleteInsightGroup('default-production-all-apps')).status).toBe(204);
    expect(await clientFailure(scores.getInsightGroup('default-production-all-apps'))).toEqual({ status: 404, data: expect.objectContaining({ code: 'not_found', message: 'Insight group "default-production-all-apps" not found' }) });
    const noBeta = new InsightsScoresBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    expect((await clientFailure(noBeta.getInsightGroups())).status).toBe(403);
  });
});

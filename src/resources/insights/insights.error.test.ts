// Every error a client can cause on the Insights APIs: exact status, code and a message naming the field or what is
// missing; a request that fails writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { deploy, DEPLOYMENTS, deploymentsOf, EVENTS, insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';
import type { Response } from '../../../test/support/server.js';

const INSIGHTS = '/api/v2/engineering-insights';

describe('Insights API errors', () => {
  let w: InsightsWorld;
  let deploymentId: string;
  beforeAll(async () => {
    w = await insightsWorld();
    await deploy(w, 'v1', w.clock.now - 3_600_000);
    deploymentId = (await deploymentsOf(w))[0].id;
    expect((await w.s.post('/api/v2/code-refs/repositories', { name: 'billing' })).status).toBe(200);
    expect((await w.post(`${INSIGHTS}/insights/group`, { key: 'prod', name: 'Prod', projectKey: 'shop', environmentKey: 'production' })).status).toBe(201);
  });
  afterAll(() => w.s.close());

  const expectError = async (send: () => Promise<Response>, status: number, code: string, message: unknown) => {
    let res: Response | undefined;
    expect(await changedBy(w.s.store, async () => (res = await send()))).toBe(false);
    expect({ status: res!.status, body: res!.body }).toEqual({ status, body: expect.objectContaining({ code, message }) });
  };
  const invalid = (send: () => Promise<Response>, message: unknown) => expectError(send, 400, 'invalid_request', message);
  const event = (body: Record<string, unknown>) => () => w.post(EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', version: 'v2', eventType: 'started', ...body });
  const q = '?projectKey=shop&environmentKey=production';

  it('without LD-API-Version: beta, 403 on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'a', version: '1', eventType: 'started' }],
      ['GET', `${DEPLOYMENTS}${q}`],
      ['GET', `${DEPLOYMENTS}/${deploymentId}`],
      ['PATCH', `${DEPLOYMENTS}/${deploymentId}`, [{ op: 'replace', path: '/archived', value: true }]],
      ['GET', `${INSIGHTS}/flag-events${q}`],
      ['GET', `${INSIGHTS}/pull-requests${q}`],
      ['GET', `${INSIGHTS}/repositories`],
      ['PUT', `${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing', projectKey: 'shop' }] }],
      ['DELETE', `${INSIGHTS}/repositories/billing/projects/shop`],
      ['GET', `${INSIGHTS}/charts/deployments/frequency${q}`],
      ['GET', `${INSIGHTS}/charts/flags/stale${q}`],
      ['GET', `${INSIGHTS}/charts/flags/status${q}`],
      ['GET', `${INSIGHTS}/charts/lead-time${q}`],
      ['GET', `${INSIGHTS}/charts/releases/frequency${q}`],
      ['POST', `${INSIGHTS}/insights/group`, { key: 'x', name: 'x', projectKey: 'shop', environmentKey: 'production' }],
      ['GET', `${INSIGHTS}/insights/groups`],
      ['GET', `${INSIGHTS}/insights/groups/prod`],
      ['PATCH', `${INSIGHTS}/insights/groups/prod`, [{ op: 'replace', path: '/name', value: 'y' }]],
      ['DELETE', `${INSIGHTS}/insights/groups/prod`],
      ['GET', `${INSIGHTS}/insights/scores${q}`],
    ];
    for (const [method, path, body] of routes) await expectError(() => w.s.request(method, path, body === undefined ? {} : { body }), 403, 'forbidden', expect.stringMatching(/beta/));
  });

  it('unknown projects, environments, deployments, repositories, associations and groups: 404 naming them', async () => {
    await expectError(event({ projectKey: 'nope' }), 404, 'not_found', 'Project "nope" not found');
    await expectError(event({ environmentKey: 'nope' }), 404, 'not_found', 'Environment "nope" in project "shop" not found');
    await expectError(() => w.get(`${DEPLOYMENTS}?projectKey=shop&environmentKey=nope`), 404, 'not_found', 'Environment "nope" in project "shop" not found');
    const missing = 'Deployment "00000000-0000-4000-8000-000000000000" not found';
    await expectError(() => w.get(`${DEPLOYMENTS}/00000000-0000-4000-8000-000000000000`), 404, 'not_found', missing);
    await expectError(() => w.patch(`${DEPLOYMENTS}/00000000-0000-4000-8000-000000000000`, [{ op: 'replace', path: '/archived', value: true }]), 404, 'not_found', missing);
    await expectError(() => w.get(`${INSIGHTS}/flag-events?projectKey=nope&environmentKey=production`), 404, 'not_found', 'Project "nope" not found');
    await expectError(() => w.get(`${INSIGHTS}/pull-requests?projectKey=nope`), 404, 'not_found', 'Project "nope" not found');
    await expectError(() => w.put(`${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing', projectKey: 'shop' }, { repositoryKey: 'nope', projectKey: 'shop' }] }), 404, 'not_found', 'Repository "nope" not found');
    await expectError(() => w.put(`${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing', projectKey: 'nope' }] }), 404, 'not_found', 'Project "nope" not found');
    await expectError(() => w.del(`${INSIGHTS}/repositories/nope/projects/shop`), 404, 'not_found', 'Repository "nope" not found');
    await expectError(() => w.del(`${INSIGHTS}/repositories/billing/projects/shop`), 404, 'not_found', 'Association of repository "billing" with project "shop" not found');
    for (const chart of ['deployments/frequency', 'flags/stale', 'flags/status', 'lead-time', 'releases/frequency']) {
      await expectError(() => w.get(`${INSIGHTS}/charts/${chart}?projectKey=nope&environmentKey=production`), 404, 'not_found', 'Project "nope" not found');
    }
    await expectError(() => w.post(`${INSIGHTS}/insights/group`, { key: 'x', name: 'x', projectKey: 'shop', environmentKey: 'nope' }), 404, 'not_found', 'Environment "nope" in project "shop" not found');
    for (const send of [() => w.get(`${INSIGHTS}/insights/groups/nope`), () => w.patch(`${INSIGHTS}/insights/groups/nope`, [{ op: 'replace', path: '/name', value: 'x' }]), () => w.del(`${INSIGHTS}/insights/groups/nope`)]) {
      await expectError(send, 404, 'not_found', 'Insight group "nope" not found');
    }
    await invalid(() => w.get(`${INSIGHTS}/insights/scores?projectKey=shop&environmentKey=nope`), 'environmentKey: Environment "nope" in project "shop" not found');
    await invalid(() => w.get(`${INSIGHTS}/insights/scores?projectKey=nope&environmentKey=production`), 'projectKey: Project "nope" not found');
  });

  it('createDeploymentEvent: a body LaunchDarkly would refuse, 400 naming the field', async () => {
    await invalid(() => w.post(EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', eventType: 'started' }), expect.stringContaining('version'));
    await invalid(event({ eventType: 'deployed' }), expect.stringContaining('eventType'));
    await invalid(event({ version: 'v 2!' }), expect.stringContaining('version'));
    await invalid(event({ applicationKind: 'desktop' }), expect.stringContaining('applicationKind'));
    await invalid(event({ eventTime: -1 }), expect.stringContaining('eventTime'));
    await invalid(event({ eventTime: 'yesterday' }), expect.stringContaining('eventTime'));
    await invalid(event({ deploymentMetadata: 'x' }), expect.stringContaining('deploymentMetadata'));
    await invalid(event({ extra: 1 }), expect.stringContaining('extra'));
    await invalid(event({ deploymentMetadata: { pullRequests: 'x' } }), 'deploymentMetadata.pullRequests: must be an array of pull requests');
    await invalid(event({ deploymentMetadata: { pullRequests: [{ title: 't', author: 'a', createTime: 1 }] } }), 'deploymentMetadata.pullRequests[0].externalId: is required');
    await invalid(event({ deploymentMetadata: { pullRequests: [{ externalId: '1', title: 't', author: 'a', createTime: 1, linesAdded: -3 }] } }), 'deploymentMetadata.pullRequests[0].linesAdded: must be a whole number, 0 or more');
    await invalid(event({ deploymentMetadata: { pullRequests: [{ externalId: '1', title: 't', author: 'a', createTime: 1, flagReferences: [{ referencesAdded: 1 }] }] } }), 'deploymentMetadata.pullRequests[0].flagReferences[0].flagKey: is required');
    await w.post(EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', version: 'v5', eventType: 'started', eventTime: 5_000_000 });
    await invalid(event({ version: 'v5', eventType: 'finished', eventTime: 4_000_000 }), 'eventTime: is before the deployment started (5000000)');
  });

  it('the lists and charts: query parameters LaunchDarkly would refuse, 400 naming them', async () => {
    await invalid(() => w.get(`${DEPLOYMENTS}?environmentKey=production`), 'projectKey: is required');
    await invalid(() => w.get(`${DEPLOYMENTS}?projectKey=shop`), 'environmentKey: is required');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&limit=101`), 'limit: must be a whole number from 1 to 100, not "101"');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&from=soon`), 'from: must be a Unix time in milliseconds or a date-time, not "soon"');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&from=20&to=10`), 'from: must not be after to');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&kind=hotfix`), 'kind: must be one of new, redeployment, rollback, not "hotfix"');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&status=done`), 'status: must be one of started, finished, failed, not "done"');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&expand=commits`), 'expand: cannot expand "commits"; use pullRequests, flagReferences');
    await invalid(() => w.get(`${DEPLOYMENTS}${q}&after=nope`), 'after: names no item of this list: "nope"');
    await invalid(() => w.get(`${DEPLOYMENTS}/${deploymentId}?expand=x`), 'expand: cannot expand "x"; use pullRequests, flagReferences');
    await invalid(() => w.get(`${INSIGHTS}/flag-events${q}&impactSize=huge`), 'impactSize: must be one of none, small, medium, large, not "huge"');
    await invalid(() => w.get(`${INSIGHTS}/flag-events${q}&hasExperiments=maybe`), 'hasExperiments: must be true or false, not "maybe"');
    await invalid(() => w.get(`${INSIGHTS}/flag-events${q}&global=only`), 'global: must be one of include, exclude, not "only"');
    await invalid(() => w.get(`${INSIGHTS}/pull-requests?projectKey=shop&sort=leadTime`), 'environmentKey: is required to sort by lead time');
    await invalid(() => w.get(`${INSIGHTS}/pull-requests?projectKey=shop&status=draft`), 'status: must be one of open, merged, closed, deployed, not "draft"');
    await invalid(() => w.get(`${INSIGHTS}/repositories?expand=branches`), 'expand: cannot expand "branches"; use projects');
    await invalid(() => w.get(`${INSIGHTS}/charts/deployments/frequency${q}&bucketType=week`), 'bucketType: must be one of rolling, hour, day, not "week"');
    await invalid(() => w.get(`${INSIGHTS}/charts/deployments/frequency${q}&bucketMs=60000&from=0`), expect.stringMatching(/^bucketMs: makes \d+ buckets of the window; at most 2000$/));
    await invalid(() => w.get(`${INSIGHTS}/charts/deployments/frequency${q}&groupBy=team`), 'groupBy: must be one of application, kind, not "team"');
    await invalid(() => w.get(`${INSIGHTS}/charts/lead-time${q}&groupBy=kind`), 'groupBy: must be one of application, stage, not "kind"');
    await invalid(() => w.get(`${INSIGHTS}/charts/releases/frequency${q}&groupBy=application`), 'groupBy: must be one of impact, not "application"');
    await invalid(() => w.get(`${INSIGHTS}/charts/flags/stale${q}&groupBy=team`), 'groupBy: must be one of maintainer, not "team"');
    await invalid(() => w.get(`${INSIGHTS}/charts/flags/status?projectKey=shop`), 'environmentKey: is required');
    await invalid(() => w.get(`${INSIGHTS}/insights/scores?projectKey=shop`), 'environmentKey: is required');
    await invalid(() => w.get(`${INSIGHTS}/insights/groups?limit=21`), 'limit: must be a whole number from 1 to 20, not "21"');
    await invalid(() => w.get(`${INSIGHTS}/insights/groups?sort=key`), 'sort: must be one of name, -name, not "key"');
  });

  it('updateDeployment, the repository mappings and insight groups: bodies LaunchDarkly would refuse', async () => {
    const patch = (body: unknown) => () => w.patch(`${DEPLOYMENTS}/${deploymentId}`, body);
    await invalid(patch([{ op: 'replace', path: '/status', value: 'done' }]), 'status: must be one of started, finished, failed');
    await invalid(patch([{ op: 'replace', path: '/applicationKey', value: 'x' }]), '/applicationKey: is read-only and cannot be changed');
    await invalid(patch([{ op: 'replace', path: '/owner', value: 'x' }]), expect.stringContaining('/owner: is not a field that can be patched'));
    await invalid(patch([{ op: 'replace', path: '/metadata', value: [] }]), 'metadata: must be an object');
    await invalid(() => w.put(`${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing' }] }), expect.stringContaining('projectKey'));
    await invalid(() => w.put(`${INSIGHTS}/repositories/projects`, {}), expect.stringContaining('mappings'));
    await invalid(() => w.post(`${INSIGHTS}/insights/group`, { key: 'x', projectKey: 'shop', environmentKey: 'production' }), expect.stringContaining('name'));
    await invalid(() => w.post(`${INSIGHTS}/insights/group`, { key: 'a b', name: 'x', projectKey: 'shop', environmentKey: 'production' }), expect.stringContaining('key'));
    await expectError(() => w.post(`${INSIGHTS}/insights/group`, { key: 'prod', name: 'x', projectKey: 'shop', environmentKey: 'production' }), 409, 'conflict', 'An insight group with the key "prod" already exists');
    const group = (body: unknown) => () => w.patch(`${INSIGHTS}/insights/groups/prod`, body);
    await invalid(group([{ op: 'replace', path: '/key', value: 'other' }]), '/key: is read-only and cannot be changed');
    await invalid(group([{ op: 'replace', path: '/name', value: '' }]), expect.stringContaining('name'));
    await invalid(group([{ op: 'replace', path: '/applicationKeys', value: 'billing' }]), expect.stringContaining('applicationKeys'));
    await expectError(group([{ op: 'test', path: '/name', value: 'Other' }, { op: 'replace', path: '/name', value: 'x' }]), 422, 'patch_failed', expect.stringContaining('operation 0'));
  });
});

// Who may use the Insights APIs: every token must be valid; readers read; writers post deployment events, patch
// deployments, associate repositories and manage insight groups. Custom roles read a project's insights with
// viewProject on the project the query names, and write with iterlab's actions (createDeploymentEvent on the
// environment, updateDeployment, createInsightGroup/updateInsightGroup/deleteInsightGroup, the code references
// repository's updateCodeRefsRepositoryConfiguration); what another project holds stays out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { deploy, DEPLOYMENTS, deploymentsOf, EVENTS, insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';
import type { Response } from '../../../test/support/server.js';

const INSIGHTS = '/api/v2/engineering-insights';
const q = '?projectKey=shop&environmentKey=production';

describe('Insights: security', () => {
  let w: InsightsWorld;
  let deploymentId: string;
  let otherDeploymentId: string;
  beforeAll(async () => {
    w = await insightsWorld();
    expect((await w.s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    await deploy(w, 'v1', w.clock.now - 3_600_000);
    await deploy(w, 'v1', w.clock.now - 3_600_000, { environmentKey: 'production' });
    deploymentId = (await deploymentsOf(w))[0].id;
    expect((await w.post(EVENTS, { projectKey: 'other', environmentKey: 'production', applicationKey: 'theirs', version: '1', eventType: 'finished' })).status).toBe(201);
    otherDeploymentId = (await w.get(`${DEPLOYMENTS}?projectKey=other&environmentKey=production`)).body.items[0].id;
    expect((await w.s.post('/api/v2/code-refs/repositories', { name: 'billing' })).status).toBe(200);
    expect((await w.post(`${INSIGHTS}/insights/group`, { key: 'prod', name: 'Prod', projectKey: 'shop', environmentKey: 'production' })).status).toBe(201);
    expect((await w.post(`${INSIGHTS}/insights/group`, { key: 'theirs', name: 'Theirs', projectKey: 'other', environmentKey: 'production' })).status).toBe(201);
  });
  afterAll(() => w.s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(w.s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  const reads = (token: string | null) => [
    () => w.get(`${DEPLOYMENTS}${q}`, { token }),
    () => w.get(`${DEPLOYMENTS}/${deploymentId}`, { token }),
    () => w.get(`${INSIGHTS}/flag-events${q}`, { token }),
    () => w.get(`${INSIGHTS}/pull-requests${q}`, { token }),
    () => w.get(`${INSIGHTS}/repositories`, { token }),
    () => w.get(`${INSIGHTS}/charts/deployments/frequency${q}`, { token }),
    () => w.get(`${INSIGHTS}/charts/flags/stale${q}`, { token }),
    () => w.get(`${INSIGHTS}/charts/flags/status${q}`, { token }),
    () => w.get(`${INSIGHTS}/charts/lead-time${q}`, { token }),
    () => w.get(`${INSIGHTS}/charts/releases/frequency${q}`, { token }),
    () => w.get(`${INSIGHTS}/insights/groups`, { token }),
    () => w.get(`${INSIGHTS}/insights/groups/prod`, { token }),
    () => w.get(`${INSIGHTS}/insights/scores${q}`, { token }),
  ];
  const writes = (token: string | null) => [
    () => w.post(EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', version: 'v9', eventType: 'started' }, { token }),
    () => w.patch(`${DEPLOYMENTS}/${deploymentId}`, [{ op: 'replace', path: '/archived', value: true }], { token }),
    () => w.put(`${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing', projectKey: 'shop' }] }, { token }),
    () => w.del(`${INSIGHTS}/repositories/billing/projects/shop`, { token }),
    () => w.post(`${INSIGHTS}/insights/group`, { key: 'new', name: 'New', projectKey: 'shop', environmentKey: 'production' }, { token }),
    () => w.patch(`${INSIGHTS}/insights/groups/prod`, [{ op: 'replace', path: '/name', value: 'Renamed' }], { token }),
    () => w.del(`${INSIGHTS}/insights/groups/new`, { token }),
  ];

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) for (const send of [...reads(token), ...writes(token)]) await refused(send, 401);
    for (const send of reads(w.s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(w.s.tokens.reader)) await refused(send, 403);
    const statuses = [];
    for (const send of writes(w.s.tokens.writer)) statuses.push((await send()).status);
    expect(statuses).toEqual([201, 200, 200, 204, 201, 200, 204]);
  });

  it('custom roles: viewProject reads the project the query names; each write needs its action', async () => {
    const role = async (statements: unknown[]) => {
      const made = await w.s.post('/api/v2/tokens', { name: 'role', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, ...statements] });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.token as string;
    };
    const viewer = await role([]);
    for (const send of reads(viewer)) expect((await send()).status).toBe(200);
    for (const send of writes(viewer)) await refused(send, 403);
    // Another project's insights: 403, by query or by id; its groups are not listed.
    await refused(() => w.get(`${DEPLOYMENTS}?projectKey=other&environmentKey=production`, { token: viewer }), 403);
    await refused(() => w.get(`${INSIGHTS}/charts/flags/status?projectKey=other&environmentKey=production`, { token: viewer }), 403);
    await refused(() => w.get(`${DEPLOYMENTS}/${otherDeploymentId}`, { token: viewer }), 403);
    await refused(() => w.get(`${INSIGHTS}/insights/groups/theirs`, { token: viewer }), 403);
    expect((await w.get(`${INSIGHTS}/insights/groups`, { token: viewer })).body.items.map((g: { key: string }) => g.key)).toEqual(['prod']);

    const ci = await role([{ effect: 'allow', resources: ['proj/shop:env/production'], actions: ['createDeploymentEvent'] }]);
    expect((await w.post(EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', version: 'v10', eventType: 'started' }, { token: ci })).status).toBe(201);
    await refused(() => w.post(EVENTS, { projectKey: 'shop', environmentKey: 'test', applicationKey: 'billing', version: 'v10', eventType: 'started' }, { token: ci }), 403);
    await refused(() => w.patch(`${DEPLOYMENTS}/${deploymentId}`, [{ op: 'replace', path: '/archived', value: false }], { token: ci }), 403);
    const updater = await role([{ effect: 'allow', resources: ['proj/*:env/*:deployment/*'], actions: ['updateDeployment'] }]);
    expect((await w.patch(`${DEPLOYMENTS}/${deploymentId}`, [{ op: 'replace', path: '/archived', value: false }], { token: updater })).status).toBe(200);
    await refused(() => w.patch(`${DEPLOYMENTS}/${otherDeploymentId}`, [{ op: 'replace', path: '/archived', value: true }], { token: updater }), 403);

    const grouper = await role([{ effect: 'allow', resources: ['proj/*:env/*:insight-group/*'], actions: ['createInsightGroup', 'updateInsightGroup'] }]);
    expect((await w.post(`${INSIGHTS}/insights/group`, { key: 'mine', name: 'Mine', projectKey: 'shop', environmentKey: 'production' }, { token: grouper })).status).toBe(201);
    expect((await w.patch(`${INSIGHTS}/insights/groups/mine`, [{ op: 'replace', path: '/name', value: 'Ours' }], { token: grouper })).status).toBe(200);
    await refused(() => w.del(`${INSIGHTS}/insights/groups/mine`, { token: grouper }), 403);
    await refused(() => w.patch(`${INSIGHTS}/insights/groups/theirs`, [{ op: 'replace', path: '/name', value: 'x' }], { token: grouper }), 403);
    await refused(() => w.post(`${INSIGHTS}/insights/group`, { key: 'x', name: 'x', projectKey: 'other', environmentKey: 'production' }, { token: grouper }), 403);

    const linker = await role([{ effect: 'allow', resources: ['code-reference-repository/*'], actions: ['updateCodeRefsRepositoryConfiguration'] }]);
    expect((await w.put(`${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing', projectKey: 'shop' }] }, { token: linker })).status).toBe(200);
    await refused(() => w.put(`${INSIGHTS}/repositories/projects`, { mappings: [{ repositoryKey: 'billing', projectKey: 'other' }] }, { token: linker }), 403);
    expect((await w.del(`${INSIGHTS}/repositories/billing/projects/shop`, { token: linker })).status).toBe(204);
  });
});

// The official REST client (launchdarkly-api-typescript 17.x) over real HTTP against the management API: flags by
// semantic and merge patch, projects, environments, tokens, members, caller identity, the audit log, metric usage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import {
  AccessTokensApi,
  AccountMembersApi,
  AuditLogApi,
  Configuration,
  EnvironmentsApi,
  ExperimentsApi,
  FeatureFlagsApi,
  MetricsApi,
  OtherApi,
  ProjectsApi,
  type PatchWithComment,
} from 'launchdarkly-api-typescript';
import { createExperimentIn, createWorld, experimentsPath } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

async function failure(promise: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await promise;
  } catch (err) {
    const response = (err as AxiosError).response;
    if (response) return { status: response.status, data: response.data };
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Axios errors say only "status code 400"; this puts iterlab's message in the failure. */
async function ok<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    const response = (err as AxiosError).response;
    throw new Error(`${response?.status} ${JSON.stringify(response?.data)}`);
  }
}

describe('management API through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let config: Configuration;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    config = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
  });
  afterAll(() => s.close());

  it('flags: a semantic patch (the client sends plain application/json) and a merge patch', async () => {
    await new ProjectsApi(config).postProject({ name: 'Flags', key: 'flags' });
    const flags = new FeatureFlagsApi(config);
    const created = await flags.postFeatureFlag('flags', { name: 'Banner', key: 'banner', variations: [{ value: 'a' }, { value: 'b' }] });
    const [a, b] = created.data.variations.map((v) => v._id!);
    const semantic = { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }, { kind: 'addRule', variationId: b, clauses: [{ contextKind: 'user', attribute: 'email', op: 'endsWith', negate: false, values: ['@acme.com'] }] }, { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [a]: 60000, [b]: 40000 } }] };
    const patched = await flags.patchFeatureFlag('flags', 'banner', semantic as unknown as PatchWithComment);
    const production = patched.data.environments!.production;
    expect(production.on).toBe(true);
    expect(production.rules![0].variation).toBe(1);
    expect(production.fallthrough!.rollout!.variations).toEqual([{ variation: 0, weight: 60000 }, { variation: 1, weight: 40000 }]);
    expect(production.version).toBe(2);

    const dry = await flags.patchFeatureFlag('flags', 'banner', { instructions: [{ kind: 'updateName', value: 'Preview' }] } as unknown as PatchWithComment, undefined, { params: { dryRun: true } });
    expect(dry.data.name).toBe('Preview');
    expect((await flags.getFeatureFlag('flags', 'banner')).data.name).toBe('Banner');

    const merged = await flags.patchFeatureFlag('flags', 'banner', { comment: 'retire', merge: { temporary: false, tags: ['web'] } } as unknown as PatchWithComment);
    expect(merged.data).toMatchObject({ temporary: false, tags: ['web'] });

    const bad = await failure(flags.patchFeatureFlag('flags', 'banner', { environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }, { kind: 'removeVariation', variationId: a }] } as unknown as PatchWithComment));
    expect(bad.status).toBe(400);
    expect(bad.data.errors[0].attribute).toBe('instructions[1].variationId');
    expect((await flags.getFeatureFlag('flags', 'banner')).data.environments!.production.on).toBe(true);
  });

  it('projects and environments: patch, clone, reset keys, delete', async () => {
    const projects = new ProjectsApi(config);
    const environments = new EnvironmentsApi(config);
    await projects.postProject({ name: 'Ops', key: 'ops' });
    const renamed = await ok(projects.patchProject('ops', [{ op: 'replace', path: '/name', value: 'Operations' }, { op: 'add', path: '/tags/-', value: 'infra' }]));
    expect(renamed.data).toMatchObject({ name: 'Operations', tags: ['infra'] });
    expect(renamed.data.environments.map((e) => e.key)).toEqual(['production', 'test']);

    const clone = await ok(environments.postEnvironment('ops', { name: 'Staging', key: 'staging', color: '888888', source: { key: 'production' } }));
    expect(clone.status).toBe(201);
    const patched = await environments.patchEnvironment('ops', 'staging', [{ op: 'replace', path: '/requireComments', value: true }]);
    expect(patched.data.requireComments).toBe(true);
    const sdk = await environments.resetEnvironmentSDKKey('ops', 'staging', Date.now() + 1000);
    expect(sdk.data.apiKey).not.toBe(clone.data.apiKey);
    const mobile = await environments.resetEnvironmentMobileKey('ops', 'staging');
    expect(mobile.data.mobileKey).not.toBe(clone.data.mobileKey);
    expect((await environments.deleteEnvironment('ops', 'staging')).status).toBe(204);
    expect((await failure(environments.getEnvironment('ops', 'staging'))).status).toBe(404);
    expect((await projects.deleteProject('ops')).status).toBe(204);
    expect((await failure(projects.getProject('ops'))).status).toBe(404);
  });

  it('tokens, members, caller identity and the root', async () => {
    const tokens = new AccessTokensApi(config);
    const created = await tokens.postToken({ name: 'deploy', role: 'reader' });
    const asDeploy = (token: string) => new Configuration({ apiKey: token, basePath: s.url });
    const id = created.data._id;
    expect((await failure(new ProjectsApi(asDeploy(created.data.token!)).patchProject('flags', [{ op: 'replace', path: '/name', value: 'x' }]))).status).toBe(403);
    const promoted = await ok(tokens.patchToken(id, [{ op: 'replace', path: '/role', value: 'admin' }, { op: 'replace', path: '/name', value: 'deploy bot' }]));
    expect(promoted.data).toMatchObject({ role: 'admin', name: 'deploy bot' });
    expect((await new ProjectsApi(asDeploy(created.data.token!)).patchProject('flags', [{ op: 'replace', path: '/name', value: 'Flags!' }])).status).toBe(200);
    const reset = await tokens.resetToken(id);
    expect(reset.data.token).toMatch(/^api-/);
    expect((await failure(new OtherApi(asDeploy(created.data.token!)).getCallerIdentity())).status).toBe(401);
    const identity = await new OtherApi(asDeploy(reset.data.token!)).getCallerIdentity();
    expect(identity.data).toMatchObject({ tokenId: id, tokenName: 'deploy bot', authKind: 'token', accountId: s.deps.accountId });

    const members = new AccountMembersApi(config);
    const me = await members.getMember('me');
    expect(me.data.email).toBe('owner@iterlab.local');
    expect((await members.getMembers()).data.items.map((m) => m._id)).toEqual([me.data._id]);
    expect((await new OtherApi(config).getRoot()).data.links.projects.href).toBe('/api/v2/projects');
  });

  it('the audit log records what the client did, newest first', async () => {
    const audit = new AuditLogApi(config);
    const listed = await audit.getAuditLogEntries(undefined, undefined, undefined, 5);
    expect(listed.data.items).toHaveLength(5);
    expect(listed.data.items.map((e) => e.accesses[0].action)).toEqual(['resetAccessToken', 'updateProjectName', 'updateAccessTokenName', 'createAccessToken', 'deleteProject']);
    expect(listed.data.items.map((e) => e.date)).toEqual([...listed.data.items.map((e) => e.date)].sort((x, y) => y - x));
    const flagEntries = await audit.getAuditLogEntries(undefined, undefined, undefined, 20, 'proj/flags:env/*:flag/banner');
    // A flag update is named by what it changed, as LaunchDarkly names it: the merge's tags and temporary, the semantic patch's on, rules and fallthrough.
    expect(flagEntries.data.items.map((e) => e.accesses.map((a) => a.action))).toEqual([['updateTags', 'updateTemporary'], ['updateOn', 'updateFallthrough', 'updateRules'], ['createFlag']]);
    const one = await audit.getAuditLogEntry(flagEntries.data.items[0]._id);
    expect(one.data.comment).toBe('retire');
    expect(one.data.delta).toEqual({ temporary: false, tags: ['web'] });
  });

  it('metrics: expand=experimentCount,experiments counts real experiments, running ones as active', async () => {
    const w = await createWorld(s, 'metrics-usage');
    await createExperimentIn(s, w, 'first');
    await createExperimentIn(s, w, 'second');
    expect((await s.patch(experimentsPath(w, 'first'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const metrics = new MetricsApi(config);
    const metric = await metrics.getMetric(w.project, w.metric, 'experiments,experimentCount');
    expect(metric.data.experimentCount).toBe(2);
    expect((metric.data as { activeExperimentCount?: number }).activeExperimentCount).toBe(1);
    expect(metric.data.experiments!.map((e) => e.key)).toEqual(['first', 'second']);
    // cart-viewed is used only through the funnel group, which no experiment uses
    expect((await metrics.getMetric(w.project, 'cart-viewed', 'experimentCount')).data.experimentCount).toBe(0);
    const listed = await metrics.getMetrics(w.project, 'experimentCount', 100);
    expect(listed.data.items!.length).toBeLessThanOrEqual(50);
    const byKey = new Map(listed.data.items!.map((m) => [m.key, m as unknown as { experimentCount: number; activeExperimentCount: number }]));
    expect(byKey.get(w.metric)).toMatchObject({ experimentCount: 2, activeExperimentCount: 1 });
    expect(byKey.get(w.numericMetric)).toMatchObject({ experimentCount: 2 });
    await new ExperimentsApi(config).patchExperiment(w.project, w.env, 'first', { instructions: [{ kind: 'stopIteration', winningTreatmentId: w.variations[0], winningReason: 'done' }] });
    expect(((await metrics.getMetric(w.project, w.metric, 'experimentCount')).data as { activeExperimentCount?: number }).activeExperimentCount).toBe(0);
  });
});

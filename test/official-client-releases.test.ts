// The official REST client (launchdarkly-api-typescript) manages release pipelines and releases (beta) over real HTTP,
// unchanged: ReleasePipelinesBetaApi (postReleasePipeline with LaunchDarkly's example body, getAllReleasePipelines with
// its filter and paging, getReleasePipelineByKey, putReleasePipeline, getAllReleaseProgressionsForReleasePipeline,
// deleteReleasePipeline) and ReleasesBetaApi (createReleaseForFlag, getReleaseByFlagKey, patchReleaseByFlagKey,
// deleteReleaseByFlagKey). The generated client has no updatePhaseStatus nor release policy operations: those are sent
// as plain requests. What a phase that begins does to the flag is served to the official Node server-side SDK. The client does not
// send LD-API-Version for these operations, so the Configuration's baseOptions carry it, as a caller must.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, ReleasePipelinesBetaApi, ReleasesBetaApi, type CreateReleasePipelineInput } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

const T0 = Date.UTC(2026, 2, 1);
const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('Release pipelines and releases through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let pipelines: ReleasePipelinesBetaApi;
  let releases: ReleasesBetaApi;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => T0 });
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url, baseOptions: BETA });
    pipelines = new ReleasePipelinesBetaApi(config);
    releases = new ReleasesBetaApi(config);
    expect((await s.post('/api/v2/projects', { key: 'cafe', name: 'Cafe' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/cafe', { key: 'new-menu', name: 'New menu' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/cafe', { key: 'old-menu', name: 'Old menu' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('a pipeline made, listed, read and replaced', async () => {
    // LaunchDarkly's example body for putReleasePipeline, with a key and environments of this project.
    const body: CreateReleasePipelineInput = {
      key: 'standard-pipeline',
      name: 'Standard Pipeline',
      description: 'Standard pipeline to roll out to production',
      tags: ['example-tag'],
      phases: [
        { name: 'Phase 1 - Testing', audiences: [{ environmentKey: 'test', name: 'Test' }], configuration: {} },
        { name: 'Phase 2 - Production', audiences: [{ environmentKey: 'production', name: 'Production', configuration: { releaseStrategy: 'monitoredRelease', requireApproval: false, releaseGuardianConfiguration: { monitoringWindowMilliseconds: 60000, rolloutWeight: 50, rollbackOnRegression: true, randomizationUnit: 'user' } } }] },
      ],
    };
    const made = await pipelines.postReleasePipeline('cafe', body);
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ key: 'standard-pipeline', isProjectDefault: true, _version: 1, createdAt: new Date(T0).toISOString() });
    expect((await pipelines.postReleasePipeline('cafe', { key: 'quick', name: 'Quick', phases: [body.phases[0]] })).status).toBe(201);
    const listed = (await pipelines.getAllReleasePipelines('cafe', 'env:production', 10, 0)).data;
    expect(listed.totalCount).toBe(1);
    expect(listed.items[0].key).toBe('standard-pipeline');
    expect((await pipelines.getReleasePipelineByKey('cafe', 'standard-pipeline')).data).toEqual(made.data);
    const put = await pipelines.putReleasePipeline('cafe', 'quick', { name: 'Quicker', phases: [body.phases[0]] });
    expect(put.data).toMatchObject({ name: 'Quicker', _version: 2 });
    expect((await pipelines.deleteReleasePipeline('cafe', 'quick')).status).toBe(204);
    expect((await clientFailure(pipelines.getReleasePipelineByKey('cafe', 'quick'))).status).toBe(404);
  });

  it('a flag released along the pipeline; an SDK started after the first phase began is served the release variation', async () => {
    const created = await releases.createReleaseForFlag('cafe', 'new-menu', { releasePipelineKey: 'standard-pipeline' });
    expect(created.status).toBe(200);
    expect(created.data.phases.map((p) => p.status)).toEqual(['ReadyToStart', 'NotStarted']);
    expect((await releases.getReleaseByFlagKey('cafe', 'new-menu')).data).toEqual(created.data);
    const sdk = sdkClient(s.url, await sdkKeyOf(s, 'cafe', 'test'), { stream: false });
    try {
      await sdk.waitForInitialization({ timeout: 10 });
      expect(await sdk.variation('new-menu', { kind: 'user', key: 'ada' }, 'fallback')).toBe(false);
      const started = await s.put(`/api/v2/projects/cafe/flags/new-menu/release/phases/${created.data.phases[0]._id}`, { status: 'Started' }, BETA);
      expect(started.status).toBe(200);
    } finally {
      sdk.close();
    }
    // A new client polls the flag as the phase left it.
    const after = sdkClient(s.url, await sdkKeyOf(s, 'cafe', 'test'), { stream: false });
    try {
      await after.waitForInitialization({ timeout: 10 });
      expect(await after.variation('new-menu', { kind: 'user', key: 'ada' }, 'fallback')).toBe(true);
    } finally {
      after.close();
    }
    const progression = (await pipelines.getAllReleaseProgressionsForReleasePipeline('cafe', 'standard-pipeline', 'status:active', 20, 0)).data;
    expect(progression).toMatchObject({ activeCount: 1, completedCount: 0, items: [{ flagKey: 'new-menu', activePhaseId: created.data.phases[0]._id }] });
    // patchReleaseByFlagKey is for legacy pipelines only.
    const refused = await clientFailure(releases.patchReleaseByFlagKey('cafe', 'new-menu', [{ op: 'replace', path: '/phases/0/complete', value: true }]));
    expect(refused.status).toBe(400);
    expect((await releases.deleteReleaseByFlagKey('cafe', 'new-menu')).status).toBe(204);
  });

  it('release policies (no generated client yet): made, listed, reordered', async () => {
    const policies = '/api/v2/projects/cafe/release-policies';
    expect((await s.post(policies, { key: 'production-release', name: 'Production Release', releaseMethod: 'guarded-release', scope: { environmentKeys: ['production'] }, guardedReleaseConfig: { rollbackOnRegression: true, stages: [{ allocation: 25000, durationMillis: 60000 }] } }, BETA)).status).toBe(201);
    expect((await s.post(policies, { key: 'default', name: 'Default', releaseMethod: 'progressive-release' }, BETA)).status).toBe(201);
    expect((await s.post(`${policies}/order`, ['default', 'production-release'], BETA)).body.map((p: { key: string }) => p.key)).toEqual(['default', 'production-release']);
    expect((await s.get(`${policies}?excludeDefault=true`, BETA)).body.items.map((p: { key: string }) => p.key)).toEqual(['production-release']);
  });

  it("a legacy pipeline's release marked complete with LaunchDarkly's example patch", async () => {
    expect((await pipelines.postReleasePipeline('cafe', { key: 'legacy', name: 'Legacy', isLegacy: true, phases: [{ name: 'Only', audiences: [{ environmentKey: 'test', name: 'Test' }] }] })).data._isLegacy).toBe(true);
    expect((await releases.createReleaseForFlag('cafe', 'old-menu', { releasePipelineKey: 'legacy' })).status).toBe(200);
    const patched = await releases.patchReleaseByFlagKey('cafe', 'old-menu', [{ op: 'replace', path: '/phases/0/complete', value: true }]);
    expect(patched.data.phases[0]).toMatchObject({ complete: true, status: 'Complete' });
  });
});
